package scan

import (
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/pstab/pstab/questionnaire"
)

// placeholder reports a value set when the app is built or deployed rather than written
// in the manifest: Forge manifest variables (${BACKEND_URL}) and the templates of
// atlassian-connect-express ({{localBaseUrl}}).
func placeholder(s string) bool {
	return strings.Contains(s, "${") || strings.Contains(s, "{{")
}

// parseHost returns the host name of an address as Forge and Connect accept them: an
// https or wss URL, a bare domain (with or without a path), a wildcard domain (*.example.com)
// or * for any host. It returns a sentence fragment saying what is wrong otherwise.
func parseHost(addr string) (string, string) {
	s := strings.TrimSpace(addr)
	if s == "*" {
		return "*", ""
	}
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return "", "is not a URL with a host name"
		}
		switch strings.ToLower(u.Scheme) {
		case "https", "wss", "http", "ws":
		default:
			return "", "is a " + u.Scheme + ": address, not a web address"
		}
		s = u.Host
	} else if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if h, port, err := net.SplitHostPort(s); err == nil {
		for _, r := range port {
			if r < '0' || r > '9' {
				// javascript:alert(1) or mailto:x looks like host:port to SplitHostPort.
				return "", "is a " + h + ": address, not a host name"
			}
		}
		s = h
	}
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if net.ParseIP(strings.Trim(s, "[]")) != nil {
		return strings.Trim(s, "[]"), ""
	}
	bare := strings.TrimPrefix(s, "*.")
	if bare == "" || strings.Contains(bare, "*") {
		return "", "is not a host name (a wildcard may only open it, as in *.example.com)"
	}
	for _, r := range bare {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r > 0x7f) {
			return "", "holds characters a host name cannot have"
		}
	}
	if p := questionnaire.HostProblem(bare); p != "" {
		return "", p
	}
	return s, ""
}

// registrable returns the part of a host a company registers: api.openai.com gives
// openai.com, abc.execute-api.eu-west-1.amazonaws.com gives amazonaws.com. Only ICANN's
// public suffixes count, so a host on a cloud provider's shared domain gives the
// provider's domain, which is who processes the data, rather than the app's own name
// under it.
func registrable(host string) string {
	host = strings.TrimPrefix(host, "*.")
	if host == "" || host == "*" || net.ParseIP(host) != nil {
		return host
	}
	labels := strings.Split(host, ".")
	for i := range labels {
		cand := strings.Join(labels[i:], ".")
		if ps, icann := publicsuffix.PublicSuffix(cand); icann && ps == cand {
			if i == 0 {
				return host
			}
			return strings.Join(labels[i-1:], ".")
		}
	}
	if len(labels) >= 2 {
		return strings.Join(labels[len(labels)-2:], ".")
	}
	return host
}

// atlassianDomains are Atlassian's own: calls to them keep data with Atlassian, so they
// are not third parties and need no sub-processor entry.
var atlassianDomains = map[string]bool{
	"atlassian.com": true, "atlassian.net": true, "atl-paas.net": true, "atlassian-dev.net": true,
	"jira.com": true, "bitbucket.org": true, "atlassian.io": true,
}

func isAtlassian(domain string) bool { return atlassianDomains[domain] }

// provider is a company whose hosts apps often call, so that a scan can say what a host
// probably is. It never fills a sub-processor's name or purpose: the partner states those.
type provider struct {
	name, what string
	logs       bool // an error-tracking, logging or monitoring service
	tunnel     bool // a development tunnel, wrong in a production manifest
	domains    []string
}

var providers = []provider{
	{name: "OpenAI", what: "AI models", domains: []string{"openai.com"}},
	{name: "Anthropic", what: "AI models", domains: []string{"anthropic.com", "claude.ai"}},
	{name: "Google", what: "Google APIs and Google Cloud", domains: []string{"googleapis.com", "google.com", "gstatic.com", "googleusercontent.com", "appspot.com", "run.app", "cloudfunctions.net", "firebaseio.com"}},
	{name: "Microsoft", what: "Azure hosting and AI", domains: []string{"azure.com", "azurewebsites.net", "windows.net", "azure-api.net", "azurefd.net", "microsoft.com", "openai.azure.com"}},
	{name: "Amazon Web Services", what: "cloud hosting", domains: []string{"amazonaws.com", "cloudfront.net", "amazon.com", "awsapps.com", "on.aws"}},
	{name: "Replicate", what: "AI models", domains: []string{"replicate.com"}},
	{name: "Cohere", what: "AI models", domains: []string{"cohere.ai", "cohere.com"}},
	{name: "Mistral AI", what: "AI models", domains: []string{"mistral.ai"}},
	{name: "Hugging Face", what: "AI models", domains: []string{"huggingface.co"}},
	{name: "Groq", what: "AI models", domains: []string{"groq.com"}},
	{name: "DeepL", what: "translation", domains: []string{"deepl.com"}},
	{name: "Sentry", what: "error tracking", logs: true, domains: []string{"sentry.io", "sentry-cdn.com"}},
	{name: "Datadog", what: "monitoring and logs", logs: true, domains: []string{"datadoghq.com", "datadoghq.eu", "ddog-gov.com", "browser-intake-datadoghq.com"}},
	{name: "Bugsnag", what: "error tracking", logs: true, domains: []string{"bugsnag.com"}},
	{name: "Rollbar", what: "error tracking", logs: true, domains: []string{"rollbar.com"}},
	{name: "New Relic", what: "monitoring and logs", logs: true, domains: []string{"newrelic.com", "nr-data.net"}},
	{name: "Logz.io", what: "logs", logs: true, domains: []string{"logz.io"}},
	{name: "Better Stack", what: "logs", logs: true, domains: []string{"betterstack.com", "logtail.com"}},
	{name: "Honeycomb", what: "monitoring", logs: true, domains: []string{"honeycomb.io"}},
	{name: "Elastic", what: "logs and search", logs: true, domains: []string{"elastic-cloud.com", "elastic.co"}},
	{name: "Segment", what: "analytics", domains: []string{"segment.io", "segment.com"}},
	{name: "Mixpanel", what: "analytics", domains: []string{"mixpanel.com", "mxpnl.com"}},
	{name: "Amplitude", what: "analytics", domains: []string{"amplitude.com"}},
	{name: "PostHog", what: "analytics", domains: []string{"posthog.com"}},
	{name: "Heap", what: "analytics", domains: []string{"heapanalytics.com", "heap.io"}},
	{name: "Accoil", what: "analytics", domains: []string{"accoil.com"}},
	{name: "Statsig", what: "feature flags and analytics", domains: []string{"statsigapi.net", "featureassets.org", "prodregistryv2.org"}},
	{name: "LaunchDarkly", what: "feature flags", domains: []string{"launchdarkly.com"}},
	{name: "Cloudflare", what: "hosting and CDN", domains: []string{"cloudflare.com", "workers.dev", "pages.dev", "r2.dev"}},
	{name: "Heroku", what: "hosting", domains: []string{"herokuapp.com", "heroku.com"}},
	{name: "Vercel", what: "hosting", domains: []string{"vercel.app", "vercel.com"}},
	{name: "Netlify", what: "hosting", domains: []string{"netlify.app", "netlify.com"}},
	{name: "Fly.io", what: "hosting", domains: []string{"fly.dev", "fly.io"}},
	{name: "Render", what: "hosting", domains: []string{"onrender.com"}},
	{name: "DigitalOcean", what: "hosting", domains: []string{"digitaloceanspaces.com", "ondigitalocean.app"}},
	{name: "Twilio SendGrid", what: "email", domains: []string{"sendgrid.com", "sendgrid.net"}},
	{name: "Twilio", what: "messaging", domains: []string{"twilio.com"}},
	{name: "Mailgun", what: "email", domains: []string{"mailgun.net", "mailgun.org"}},
	{name: "Slack", what: "messaging", domains: []string{"slack.com"}},
	{name: "GitHub", what: "code hosting", domains: []string{"github.com", "githubusercontent.com"}},
	{name: "GitLab", what: "code hosting", domains: []string{"gitlab.com"}},
	{name: "jsDelivr", what: "public CDN", domains: []string{"jsdelivr.net"}},
	{name: "unpkg", what: "public CDN", domains: []string{"unpkg.com"}},
	{name: "ngrok", what: "development tunnel", tunnel: true, domains: []string{"ngrok.io", "ngrok-free.app", "ngrok.app", "ngrok.dev"}},
}

// providerOf returns the company a registrable domain belongs to, when pstab knows it.
func providerOf(domain string) *provider {
	for i := range providers {
		for _, d := range providers[i].domains {
			if d == domain {
				return &providers[i]
			}
		}
	}
	return nil
}

// Hint says what a host probably is, or "": "probably Sentry (error tracking)".
func Hint(domain string) string {
	p := providerOf(domain)
	switch {
	case p == nil:
		return ""
	case p.tunnel:
		return "a development tunnel (" + p.name + "); a listed app should not point at one"
	}
	return "probably " + p.name + ", " + p.what
}

// covers reports whether a sub-processor entry (its name and link) stands for the company
// behind a domain: the link is on the same registrable domain, both belong to one company
// pstab knows, or the name is that company's or the domain's.
func covers(name, link, domain string) bool {
	if domain == "" || domain == "*" {
		return false
	}
	p := providerOf(domain)
	if link != "" {
		if host, problem := parseHost(link); problem == "" {
			ld := registrable(host)
			if ld == domain || p != nil && providerOf(ld) == p {
				return true
			}
		}
	}
	n := letters(name)
	if n == "" {
		return false
	}
	if p != nil && strings.Contains(n, letters(p.name)) {
		return true
	}
	label := letters(strings.Split(domain, ".")[0])
	if len(label) >= 3 && strings.Contains(n, label) {
		return true
	}
	// "Google LLC" for googleapis.com: a word of the name opening the domain's label.
	for _, w := range strings.Fields(strings.ToLower(name)) {
		if w = letters(w); len(w) >= 4 && strings.HasPrefix(label, w) {
			return true
		}
	}
	return false
}

// letters keeps the ASCII letters and digits of s, lowered: "OpenAI, L.L.C." gives
// "openaillc".
func letters(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
