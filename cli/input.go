package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/pstab/pstab/assets"
	"github.com/pstab/pstab/assets/embedded"
	"github.com/pstab/pstab/questionnaire"
)

// catalogues returns the Privacy & Security catalogue and the Security Self-Assessment
// catalogue: the built-in ones, or the files named by --catalogue / PSTAB_CATALOGUE and
// --ssa-catalogue / PSTAB_SSA_CATALOGUE.
func (a *App) catalogues() (questionnaire.Catalogues, error) {
	ps, err := a.loadCatalogue(a.flags.catalogue, "PSTAB_CATALOGUE", assets.PrivacySecurity, "privacy-security")
	if err != nil {
		return questionnaire.Catalogues{}, err
	}
	ssa, err := a.loadCatalogue(a.flags.ssaCatalogue, "PSTAB_SSA_CATALOGUE", assets.SelfAssessment, "self-assessment")
	if err != nil {
		return questionnaire.Catalogues{}, err
	}
	return questionnaire.Catalogues{PrivacySecurity: ps, SelfAssessment: ssa}, nil
}

// catalogue returns the Privacy & Security catalogue.
func (a *App) catalogue() (*questionnaire.Catalogue, error) {
	return a.loadCatalogue(a.flags.catalogue, "PSTAB_CATALOGUE", assets.PrivacySecurity, "privacy-security")
}

func (a *App) loadCatalogue(flag, envKey, builtin, wantID string) (*questionnaire.Catalogue, error) {
	path := flag
	if path == "" {
		path = a.env(envKey)
	}
	var c *questionnaire.Catalogue
	var err error
	if path == "" {
		cats, err := embedded.Catalogues()
		if err != nil {
			return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("the built-in catalogue is refused: %w", err)}
		}
		if builtin == assets.SelfAssessment {
			return cats.SelfAssessment, nil
		}
		return cats.PrivacySecurity, nil
	} else {
		data, rerr := readRegular(path, maxCatalogueSize, "a catalogue is a few hundred KB, so this is not one")
		if rerr != nil {
			var ee *ExitError
			if errors.As(rerr, &ee) && errors.Is(ee.Err, fs.ErrNotExist) {
				return nil, usageErr("the catalogue file %s does not exist; check --catalogue or %s", path, envKey)
			}
			return nil, rerr
		}
		c, err = questionnaire.Load(path, data)
	}
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: fmt.Errorf("the catalogue is refused: %w", err)}
	}
	if c.ID != wantID {
		return nil, usageErr("cannot use %s: it is the %q catalogue, not %q; check which file you pass", path, c.ID, wantID)
	}
	return c, nil
}

// readInput reads a payload or bundle file ("-" for standard input), refusing files larger
// than a payload can be before reading them whole.
func (a *App) readInput(path string) ([]byte, error) {
	var r io.Reader
	name := path
	if path == "-" {
		r, name = a.In, "standard input"
	} else {
		f, err := openRegular(path, questionnaire.MaxPayloadSize, "a payload is at most 4 MB, so this is not one")
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, questionnaire.MaxPayloadSize+1))
	if err != nil {
		return nil, usageErr("cannot read %s: %v", name, unwrapPathError(err))
	}
	if len(data) > questionnaire.MaxPayloadSize {
		return nil, usageErr("cannot read %s: it is larger than 4 MB, and a payload is at most 4 MB, so this is not one", name)
	}
	if len(data) == 0 {
		return nil, usageErr("cannot read %s: it is empty; give a payload or bundle JSON file", name)
	}
	return data, nil
}

// document is a file a reviewer reads: a payload of any shape or a review bundle.
type document struct {
	answers questionnaire.Answers
	title   string // app name, when the file says
	note    string // revision and time, when the file says
	notes   []string
	bundle  *questionnaire.Bundle
	shape   questionnaire.Shape
	// afterExport, when set, records that the document was exported (a draft's status).
	afterExport func(format, path string) error
	// catalogue, when set, is the catalogue the document answers (the self-assessment's
	// for @partner); otherwise the Privacy & Security one.
	catalogue *questionnaire.Catalogue
}

// readDocument reads and decodes a payload or bundle file. Unreadable input is a usage
// error (exit 2); answers of the wrong type are problems (exit 1). Either way the message
// names the file and the JSON path.
func (a *App) readDocument(c *questionnaire.Catalogue, path string) (*document, error) {
	data, err := a.readInput(path)
	if err != nil {
		return nil, err
	}
	return a.decodeDocument(c, path, data)
}

// decodeDocument decodes a payload or bundle that readInput read from path.
func (a *App) decodeDocument(c *questionnaire.Catalogue, path string, data []byte) (*document, error) {
	name := path
	if path == "-" {
		name = "standard input"
	}
	if questionnaire.IsBundle(data) {
		b, notes, err := c.DecodeBundle(data)
		if err != nil {
			return nil, decodeErr(name, err)
		}
		d := &document{answers: b.Answers, title: b.AppName, notes: notes, bundle: &b}
		if d.title == "" {
			d.title = b.AppKey
		}
		if b.Revision > 0 {
			d.note = fmt.Sprintf("Revision %d", b.Revision)
			if !b.SavedAt.IsZero() {
				d.note += ", saved " + b.SavedAt.Local().Format("2006-01-02 15:04")
			}
		}
		return d, nil
	}
	ans, shape, err := c.DecodePayload(data)
	if err != nil {
		return nil, decodeErr(name, err)
	}
	return &document{answers: ans, shape: shape, title: filepath.Base(path)}, nil
}

// maxCatalogueSize bounds a --catalogue file: the built-in one is well under 100 KB.
const maxCatalogueSize = 4 << 20

// openRegular opens path for reading only if it is a regular file of at most limit bytes:
// a named pipe would hold pstab until something writes to it, a device may never end, and a
// directory is not a document. The open itself does not wait (O_NONBLOCK), so a pipe is
// refused, not waited on. too says why a larger file cannot be what was meant.
func openRegular(path string, limit int64, too string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, &ExitError{Code: ExitUsage, Err: missingFile(path)}
		case errors.Is(err, fs.ErrPermission):
			return nil, usageErr("%s cannot be read: permission denied", path)
		}
		return nil, usageErr("cannot read %s: %v", path, unwrapPathError(err))
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, usageErr("cannot read %s: %v", path, unwrapPathError(err))
	}
	var why string
	switch m := st.Mode(); {
	case m.IsDir():
		why = "it is a directory; give a file"
	case m&fs.ModeNamedPipe != 0:
		why = "it is a named pipe, not a file, and pstab reads only regular files: save what it carries to a file, or pipe it to standard input as -"
	case m&fs.ModeSocket != 0:
		why = "it is a socket, not a file, and pstab reads only regular files"
	case m&fs.ModeDevice != 0:
		why = "it is a device, not a file, and pstab reads only regular files: save what you need to a file first"
	case !m.IsRegular():
		why = "it is not a regular file, and pstab reads only regular files"
	case st.Size() > limit:
		why = "it is " + questionnaire.ByteSize(st.Size()) + ", and " + too
	}
	if why != "" {
		f.Close()
		return nil, usageErr("cannot read %s: %s", path, why)
	}
	return f, nil
}

// missingFile says that a file named on the command line does not exist; it is
// fs.ErrNotExist for errors.Is.
type missingFile string

func (m missingFile) Error() string        { return "cannot read " + string(m) + ": it does not exist" }
func (m missingFile) Is(target error) bool { return target == fs.ErrNotExist }

// readRegular reads a whole regular file of at most limit bytes (see openRegular).
func readRegular(path string, limit int64, too string) ([]byte, error) {
	f, err := openRegular(path, limit, too)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, usageErr("cannot read %s: %v", path, unwrapPathError(err))
	}
	if int64(len(data)) > limit {
		return nil, usageErr("cannot read %s: it grew past %s while pstab read it, and %s", path, questionnaire.ByteSize(limit), too)
	}
	return data, nil
}

func decodeErr(name string, err error) error {
	var de *questionnaire.DecodeError
	if errors.As(err, &de) {
		code := ExitProblems
		if de.Unreadable {
			code = ExitUsage
		}
		return &ExitError{Code: code, Err: fmt.Errorf("%s: %s", name, de.Error())}
	}
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s: %w", name, err)}
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
