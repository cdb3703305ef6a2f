// Package scan reads an app's own description of itself, a Forge manifest.yml or a Connect
// atlassian-connect.json, and says what it proves about the Privacy & Security tab: facts
// (scopes, outside hosts, remote back ends, storage), proposed answers with the manifest
// lines they rest on, and the questions a manifest cannot answer. It also compares those
// facts with answers already given, so that a tab contradicting the manifest is caught
// before a reviewer or a customer's assessor catches it.
//
// Everything read from a manifest is untrusted text: values with control characters are
// refused with the file and line named, and nothing here writes to a terminal.
package scan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pstab/pstab/questionnaire"
)

// The kinds of manifest a scan reads.
const (
	KindForge   = "forge"
	KindConnect = "connect"
)

// The file names a scan looks for in an app's folder.
const (
	ForgeFile   = "manifest.yml"
	ConnectFile = "atlassian-connect.json"
)

// forgeFiles are the names a Forge manifest goes by; the CLI writes manifest.yml, but YAML
// tooling often prefers .yaml.
var forgeFiles = []string{ForgeFile, "manifest.yaml"}

// FactsVersion is the version of the Facts record; a draft keeps the facts of its latest
// scan, so a later pstab must know which shape it reads.
const FactsVersion = 1

// Evidence is where in a manifest a fact was read: the file, the line, and the entry as a
// reader finds it there ("permissions.external.fetch.backend: api.openai.com").
type Evidence struct {
	File  string `json:"file"`
	Line  int    `json:"line"`
	Entry string `json:"entry"`
}

// String gives the evidence as "manifest.yml:14  entry".
func (e Evidence) String() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d  %s", e.File, e.Line, e.Entry)
	}
	return fmt.Sprintf("%s  %s", e.File, e.Entry)
}

// Source is one file a scan read.
type Source struct {
	Kind string `json:"kind"`
	File string `json:"file"` // the name shown in evidence, relative to the scanned folder
	Path string `json:"path"` // the absolute path, to tell later whether it changed
	Hash string `json:"sha256"`
	// App is the Forge app id or the Connect app key, when the file says.
	App string `json:"app,omitempty"`
	// Runtime is the Forge runtime (nodejs22.x); empty for the legacy runtime or Connect.
	Runtime string `json:"runtime,omitempty"`
	// Line is where the file names the app (app.id or key), for evidence.
	Line int `json:"line,omitempty"`
}

// Scope is one permission the app asks for.
type Scope struct {
	Name string `json:"name"`
	// Connect is set for a Connect scope (READ, WRITE...), which is named differently from
	// a Forge OAuth 2.0 scope.
	Connect bool `json:"connect,omitempty"`
	// Impersonation is set for a Forge scope the app may use to act as a user while the
	// user is offline (allowImpersonation: true).
	Impersonation bool `json:"impersonation,omitempty"`
	Evidence
}

// The kinds of outside address a manifest declares. Data kinds can carry End-User Data
// out of Atlassian; content kinds only let the browser load images, media, fonts and
// styles from a host.
const (
	AddrFetchBackend    = "fetch.backend"
	AddrFetchClient     = "fetch.client"
	AddrScripts         = "scripts"
	AddrFrames          = "frames"
	AddrImages          = "images"
	AddrMedia           = "media"
	AddrFonts           = "fonts"
	AddrStyles          = "styles"
	AddrRemote          = "remote"
	AddrConnectBase     = "baseUrl"
	AddrConnectRegion   = "regionBaseUrls"
	AddrConnectHook     = "hook"
	AddrUnknownExternal = "external"
)

// Address is one outside host the app may reach.
type Address struct {
	Kind string `json:"kind"`
	// Address is the value as written; Host its host name (api.openai.com, *.sentry.io or
	// * for any host), empty when the value is set at deploy time (${BACKEND_URL}).
	Address string `json:"address"`
	Host    string `json:"host,omitempty"`
	// Domain is the host's registrable domain (openai.com): the sub-processor's likely link.
	Domain string `json:"domain,omitempty"`
	// Remote is the remote's key, for a remote's base URL or an entry that names a remote.
	Remote string `json:"remote,omitempty"`
	// Analytics is set for an entry marked category: analytics.
	Analytics bool `json:"analytics,omitempty"`
	// InScopeEUD is what the entry declares; nil when it says nothing (Forge then assumes
	// true).
	InScopeEUD *bool `json:"inScopeEUD,omitempty"`
	// Atlassian is set for Atlassian's own hosts, which are not third parties.
	Atlassian bool `json:"atlassian,omitempty"`
	Evidence
}

// Remote is a Forge remote back end (remotes:), or a Connect app's own server.
type Remote struct {
	Key string `json:"key"`
	// Operations are as declared; OperationsDeclared is false when the entry has none, in
	// which case Forge treats the remote as storing End-User Data.
	Operations         []string `json:"operations,omitempty"`
	OperationsDeclared bool     `json:"operationsDeclared,omitempty"`
	// StorageInScopeEUD is storage.inScopeEUD when the entry says.
	StorageInScopeEUD *bool `json:"storageInScopeEUD,omitempty"`
	// Regions are the regions of a region-specific base URL (EU, US...).
	Regions []string `json:"regions,omitempty"`
	// UserToken and SystemToken say whether Forge passes the remote tokens to call
	// Atlassian APIs as the user or as the app.
	UserToken   bool `json:"userToken,omitempty"`
	SystemToken bool `json:"systemToken,omitempty"`
	Evidence
}

// Stores reports whether Forge treats the remote as storing data: operations include
// storage, or none are declared.
func (r Remote) Stores() bool {
	if !r.OperationsDeclared {
		return true
	}
	for _, op := range r.Operations {
		if op == "storage" {
			return true
		}
	}
	return false
}

// StoresInScopeEUD reports whether the remote stores in-scope End-User Data: it stores,
// and does not declare storage.inScopeEUD: false.
func (r Remote) StoresInScopeEUD() bool {
	return r.Stores() && (r.StorageInScopeEUD == nil || *r.StorageInScopeEUD)
}

// Has reports whether the remote declares an operation.
func (r Remote) Has(op string) bool {
	for _, o := range r.Operations {
		if o == op {
			return true
		}
	}
	return false
}

// The kinds of Forge hosted storage.
const (
	StoreKVS      = "key-value store"
	StoreEntities = "custom entities"
	StoreSQL      = "Forge SQL"
	StoreOther    = "other"
)

// Storage is one kind of Forge hosted storage the app declares.
type Storage struct {
	Kind string `json:"kind"`
	Name string `json:"name,omitempty"`
	Evidence
}

// Hook is a URL Atlassian calls on the app's server: a Connect lifecycle callback or
// webhook.
type Hook struct {
	Kind  string `json:"kind"` // "lifecycle" or "webhook"
	Event string `json:"event"`
	URL   string `json:"url"`
	// ExcludeBody is set for a webhook that asks for no payload.
	ExcludeBody bool `json:"excludeBody,omitempty"`
	Evidence
}

// Region is a data residency location the app declares it can keep data in.
type Region struct {
	Name string `json:"name"`
	// Remote is the key of the Forge remote whose base URL it is; empty for a Connect
	// app's regionBaseUrls.
	Remote string `json:"remote,omitempty"`
	Evidence
}

// Facts is what a scan found, kept with the draft so that check can compare the answers
// with the manifest until the next scan.
type Facts struct {
	Version   int       `json:"version"`
	Sources   []Source  `json:"sources"`
	Scopes    []Scope   `json:"scopes,omitempty"`
	Addresses []Address `json:"addresses,omitempty"`
	Remotes   []Remote  `json:"remotes,omitempty"`
	Storage   []Storage `json:"storage,omitempty"`
	Hooks     []Hook    `json:"hooks,omitempty"`
	Regions   []Region  `json:"regions,omitempty"`
	// Migration is the data residency migration hook (a Connect dare-migration lifecycle
	// URL, or a Forge migration:dataResidency module), when declared.
	Migration *Evidence `json:"migration,omitempty"`
	// ConfigurableEgress is set when customers can manage the app's egress themselves
	// (permissions.external.configurable).
	ConfigurableEgress *Evidence `json:"configurableEgress,omitempty"`
	// ScopesLine is where the scopes are declared (or the permissions section), for
	// evidence about what the app does not ask for.
	ScopesLine *Evidence `json:"scopesLine,omitempty"`
	// Notes are things read but not used, said in a sentence (an unknown external kind, a
	// host set at deploy time).
	Notes []string `json:"notes,omitempty"`
}

// Files names the files read, for messages: "manifest.yml", "manifest.yml and
// atlassian-connect.json".
func (f Facts) Files() string {
	var names []string
	for _, s := range f.Sources {
		names = append(names, s.File)
	}
	return strings.Join(names, " and ")
}

// Has reports whether a file of the kind was read.
func (f Facts) Has(kind string) bool {
	for _, s := range f.Sources {
		if s.Kind == kind {
			return true
		}
	}
	return false
}

// Encode returns the facts as JSON, for the drafts store.
func (f Facts) Encode() (json.RawMessage, error) { return json.Marshal(f) }

// DecodeFacts reads facts a draft kept. Facts of another version are refused, so that a
// later pstab's record is never misread.
func DecodeFacts(raw []byte) (Facts, error) {
	var f Facts
	if err := json.Unmarshal(raw, &f); err != nil {
		return Facts{}, fmt.Errorf("read the kept scan: %w", err)
	}
	if f.Version != FactsVersion {
		return Facts{}, fmt.Errorf("the kept scan is of version %d; this pstab reads version %d, so run pstab scan again", f.Version, FactsVersion)
	}
	return f, nil
}

// ErrNoManifest is returned by Read for a folder with neither a manifest.yml nor an
// atlassian-connect.json.
var ErrNoManifest = errors.New("no manifest")

// Read scans path: a folder holding a manifest.yml or an atlassian-connect.json (both,
// for a Connect app adopting Forge), or one such file. Whatever it cannot read ends in an
// *Error naming the file and line.
func Read(path string) (Facts, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Facts{}, err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return Facts{}, err
	}
	var files []string
	dir := abs
	if info.IsDir() {
		for _, name := range append(append([]string{}, forgeFiles...), ConnectFile) {
			st, err := os.Stat(filepath.Join(abs, name))
			if err == nil && st.Mode().IsRegular() {
				if name == "manifest.yaml" && len(files) > 0 {
					continue // manifest.yml already found
				}
				files = append(files, name)
			}
		}
		if len(files) == 0 {
			return Facts{}, fmt.Errorf("%s has no %s or %s: %w", path, ForgeFile, ConnectFile, ErrNoManifest)
		}
	} else {
		if !info.Mode().IsRegular() {
			return Facts{}, fmt.Errorf("%s is not a regular file", path)
		}
		dir = filepath.Dir(abs)
		files = []string{filepath.Base(abs)}
	}
	f := Facts{Version: FactsVersion}
	for _, name := range files {
		full := filepath.Join(dir, name)
		data, err := readLimited(full)
		if err != nil {
			return Facts{}, err
		}
		sum := sha256.Sum256(data)
		src := Source{File: name, Path: full, Hash: hex.EncodeToString(sum[:])}
		if isConnectFile(name, data) {
			src.Kind = KindConnect
			err = readConnect(&f, src, data)
		} else {
			src.Kind = KindForge
			err = readForge(&f, src, data)
		}
		if err != nil {
			return Facts{}, err
		}
	}
	return f, nil
}

// isConnectFile decides how to read a file given by name: .json is a Connect descriptor,
// and so is a file whose first character opens a JSON object.
func isConnectFile(name string, data []byte) bool {
	if strings.EqualFold(filepath.Ext(name), ".json") {
		return true
	}
	trimmed := strings.TrimLeft(string(data[:min(len(data), 64)]), "\ufeff \t\r\n")
	return strings.HasPrefix(trimmed, "{") && !strings.EqualFold(filepath.Ext(name), ".yml") && !strings.EqualFold(filepath.Ext(name), ".yaml")
}

// readLimited reads a file, refusing one too large to be a manifest before reading it.
func readLimited(path string) ([]byte, error) {
	name := filepath.Base(path)
	fh, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return nil, errAt(name, 0, "the file cannot be read: permission denied")
		}
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > maxFileSize {
		return nil, errAt(name, 0, "the file is %s; a manifest is at most %s, so this is not one", questionnaire.ByteSize(st.Size()), questionnaire.ByteSize(maxFileSize))
	}
	data, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	if err != nil {
		return nil, errAt(name, 0, "the file cannot be read: %v", err)
	}
	if len(data) > maxFileSize {
		return nil, errAt(name, 0, "the file is larger than %s; a manifest is smaller, so this is not one", questionnaire.ByteSize(maxFileSize))
	}
	return data, nil
}

// FromBytes scans one manifest held in memory, as if it were the file name: for tests and
// the fuzzer.
func FromBytes(name string, data []byte) (Facts, error) {
	f := Facts{Version: FactsVersion}
	sum := sha256.Sum256(data)
	src := Source{File: name, Path: name, Hash: hex.EncodeToString(sum[:])}
	var err error
	if isConnectFile(name, data) {
		src.Kind = KindConnect
		err = readConnect(&f, src, data)
	} else {
		src.Kind = KindForge
		err = readForge(&f, src, data)
	}
	return f, err
}

// Changed reports the files of a kept scan that are gone or differ from what was read,
// so that check can say the manifest moved on since.
func (f Facts) Changed() []string {
	var out []string
	for _, s := range f.Sources {
		data, err := readLimited(s.Path)
		if err != nil {
			out = append(out, s.File)
			continue
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != s.Hash {
			out = append(out, s.File)
		}
	}
	return out
}
