package scan

import (
	"regexp"
	"strings"
)

// What each scope lets an app do, in words a customer's admin understands. The wording is
// pstab's own summary of Atlassian's scope tables (Forge and OAuth 2.0 scopes for Jira,
// Confluence and Jira Service Management, the Forge platform scopes, and the Connect
// scopes). A scope not listed is described from its name (read:issue-details:jira reads
// "read issue details in Jira"); one whose name says nothing gets no sentence, and the
// partner writes it.
var scopeText = map[string]string{
	// Forge platform
	"storage:app":           "keep its own data in Forge hosted storage, inside Atlassian",
	"report:personal-data":  "report which user accounts it keeps personal data about, so that Atlassian can tell it when to erase or update them",
	"read:app-system-token": "give its remote back end a token to call Atlassian APIs as the app",
	"read:app-user-token":   "give its remote back end a token to call Atlassian APIs as the signed-in user",
	"read:chat:rovo":        "offer its actions to the Rovo agents a customer builds",
	"read:me":               "read the signed-in user's own profile",
	"read:account":          "read the profile of user accounts",

	// Jira classic scopes
	"read:jira-work":            "read Jira projects and issues, with their comments, attachments and worklogs",
	"write:jira-work":           "create, edit and delete Jira issues, comments and worklogs",
	"read:jira-user":            "read Jira user profiles, including names, email addresses and avatars",
	"manage:jira-project":       "change Jira project settings and create project items such as versions and components",
	"manage:jira-configuration": "take Jira administration actions, such as creating projects and custom fields",
	"manage:jira-webhook":       "register webhooks that tell it when Jira data changes",
	"manage:jira-data-provider": "send development, build and deployment information to Jira",

	// Confluence classic scopes
	"read:confluence-content.all":            "read all Confluence content, including the body of pages and blog posts",
	"read:confluence-content.summary":        "read summaries of Confluence content, without page bodies",
	"read:confluence-content.permission":     "read who may see Confluence content",
	"write:confluence-content":               "create and edit Confluence pages, blog posts and comments",
	"read:confluence-space.summary":          "read summaries of Confluence spaces",
	"write:confluence-space":                 "create and change Confluence spaces",
	"read:confluence-props":                  "read properties stored on Confluence content",
	"write:confluence-props":                 "write properties stored on Confluence content",
	"read:confluence-user":                   "read Confluence user profiles",
	"read:confluence-groups":                 "read Confluence groups and their members",
	"write:confluence-groups":                "create and change Confluence groups",
	"write:confluence-file":                  "upload files and attachments to Confluence",
	"readonly:content.attachment:confluence": "download Confluence attachments",
	"search:confluence":                      "search Confluence content",
	"manage:confluence-configuration":        "change Confluence's global settings",

	// Jira Service Management classic scopes
	"read:servicedesk-request":    "read Jira Service Management requests",
	"write:servicedesk-request":   "create and change Jira Service Management requests",
	"manage:servicedesk-customer": "manage service desk customers and organizations",
}

// connectScopeText describes the Connect scopes, which apply to the whole product.
var connectScopeText = map[string]string{
	"NONE":                   "use only data the app itself defines",
	"READ":                   "view, browse and read information in the product",
	"WRITE":                  "create and edit content in the product, but not delete it",
	"DELETE":                 "delete content in the product",
	"PROJECT_ADMIN":          "administer Jira projects",
	"SPACE_ADMIN":            "administer Confluence spaces",
	"ADMIN":                  "administer the whole site",
	"ACT_AS_USER":            "act as a user, with that user's permissions, even when the user is not using the app",
	"ACCESS_EMAIL_ADDRESSES": "read users' email addresses",
}

var scopeVerbs = map[string]string{
	"read": "read", "write": "create and change", "delete": "delete", "manage": "manage",
	"search": "search", "readonly": "read", "admin": "administer", "act-as-user": "act as a user on",
}

var scopeProducts = map[string]string{
	"jira": "Jira", "confluence": "Confluence", "jira-service-management": "Jira Service Management",
	"servicedesk": "Jira Service Management", "compass": "Compass", "bitbucket": "Bitbucket",
	"jira-software": "Jira", "townsquare": "Atlas", "ops": "Jira Service Management operations",
}

// scopeName is what a scope may be called: letters, digits and : . _ - (Forge), or the
// upper-case Connect names.
var scopeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9:._-]*$`)

// ScopeSentence says what a scope lets the app do, as a phrase to follow "lets the app",
// or "" when pstab cannot tell from its name.
func ScopeSentence(s Scope) string {
	if s.Connect {
		if t, ok := connectScopeText[strings.ToUpper(s.Name)]; ok {
			return t
		}
		return ""
	}
	if t, ok := scopeText[s.Name]; ok {
		return t
	}
	// A Connect app adopting Forge keeps its Connect scopes, named as in read:connect-jira.
	if verb, product, ok := strings.Cut(s.Name, ":connect-"); ok && !strings.Contains(product, ":") {
		if t, ok := connectScopeText[strings.ToUpper(strings.ReplaceAll(verb, "-", "_"))]; ok {
			return t + " (Connect's " + strings.ToUpper(strings.ReplaceAll(verb, "-", "_")) + " scope)"
		}
	}
	// Granular scopes: verb:resource:product, as in read:issue-details:jira.
	parts := strings.Split(s.Name, ":")
	if len(parts) == 3 {
		verb, ok := scopeVerbs[parts[0]]
		product := scopeProducts[parts[2]]
		if ok && product != "" {
			res := strings.NewReplacer("-", " ", ".", " ", "_", " ").Replace(parts[1])
			return verb + " " + plural(res) + " in " + product
		}
	}
	return ""
}

// plural turns the last word of a granular scope's resource into the plural, so that
// read:page:confluence reads "read pages in Confluence".
func plural(res string) string {
	words := strings.Fields(res)
	if len(words) == 0 {
		return res
	}
	w := words[len(words)-1]
	switch {
	case strings.HasSuffix(w, "s"), w == "data", w == "meta", w == "info", w == "metadata":
	case strings.HasSuffix(w, "y") && len(w) > 1 && !strings.ContainsAny(w[len(w)-2:len(w)-1], "aeiou"):
		w = w[:len(w)-1] + "ies"
	default:
		w += "s"
	}
	words[len(words)-1] = w
	return strings.Join(words, " ")
}
