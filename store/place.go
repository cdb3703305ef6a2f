package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// place is where a drafts file lies and what may be done there, as Open found it before
// SQLite saw the file.
type place struct {
	path string // the file, symbolic links resolved (SQLite keeps -wal and -shm beside it)
	// fresh is set for a file that is missing or empty: SQLite treats it as a new database.
	fresh bool
	// writable: this process may write the file and its folder, so SQLite can make and
	// repair the -wal and -shm files beside it.
	writable bool
	// readOnlyMedium: the file system holding it is mounted read-only.
	readOnlyMedium bool
	// walFrames: the -wal file holds frames, changes that may not be in the file yet.
	// shmUsable: the -shm file can index those frames as it is (see walState).
	walFrames, shmUsable bool
	// mayRecover: a hot -journal beside it may be rolled back (see locate).
	mayRecover bool
	// openHere: another Store of this process has the file open (see openHere).
	openHere bool
}

// openStores counts, by path, the Stores of this process that have a file open. While one
// has, nothing may open and close a descriptor of the file or its -shm: the kernel would
// drop every POSIX lock the process holds on it, that Store's included, and other
// processes could then checkpoint, or even delete the -wal, under it.
var openStores = struct {
	sync.Mutex
	n map[string]int
}{n: map[string]int{}}

func openHere(path string) bool {
	openStores.Lock()
	defer openStores.Unlock()
	return openStores.n[path] > 0
}

// holdOpen records a Store's connection to path and returns the function that forgets it.
func holdOpen(path string) (release func()) {
	openStores.Lock()
	openStores.n[path]++
	openStores.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			openStores.Lock()
			defer openStores.Unlock()
			if openStores.n[path]--; openStores.n[path] <= 0 {
				delete(openStores.n, path)
			}
		})
	}
}

// locate checks the file and its folder before SQLite sees them. In write mode it creates
// a missing folder (0700) and file (0600); in read mode it creates nothing, and a missing
// file is ProblemMissing. Nothing it refuses is changed.
func locate(path string, readOnly bool) (place, error) {
	pl := place{path: path}
	dir := filepath.Dir(path)
	dirInfo, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist) && readOnly:
		return pl, &FileError{Path: path, Problem: ProblemMissing}
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return pl, &FileError{Path: path, Problem: ProblemUnreachable, Err: unwrapPath(err)}
		}
		dirInfo, err = os.Stat(dir)
	}
	if err != nil {
		return pl, &FileError{Path: path, Problem: ProblemUnreachable, Err: unwrapPath(err)}
	}
	if err := safeFolder(path, dir, dirInfo); err != nil {
		return pl, err
	}
	info, err := os.Lstat(path)
	if err == nil && info.Mode()&fs.ModeSymlink != 0 {
		// A link the partner made to keep the file elsewhere: SQLite follows it too and
		// keeps -wal and -shm beside the target, so everything below is about the target.
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return pl, &FileError{Path: path, Problem: ProblemUnreachable, Err: unwrapPath(err)}
		}
		pl.path, dir = target, filepath.Dir(target)
		if dirInfo, err = os.Stat(dir); err != nil {
			return pl, &FileError{Path: path, Problem: ProblemUnreachable, Err: unwrapPath(err)}
		}
		if err := safeFolder(pl.path, dir, dirInfo); err != nil {
			return pl, err
		}
		info, err = os.Lstat(pl.path)
		if err != nil {
			return pl, &FileError{Path: path, Problem: ProblemUnreachable, Err: unwrapPath(err)}
		}
	}
	dirAccess := access(dir, dirInfo)
	switch {
	case errors.Is(err, fs.ErrNotExist) && readOnly:
		return pl, &FileError{Path: path, Problem: ProblemMissing}
	case errors.Is(err, fs.ErrNotExist):
		if dirAccess != canWrite {
			return pl, readOnlyErr(path, dirAccess, ProblemReadOnlyDir)
		}
		created, cerr := createPrivate(pl.path)
		if cerr != nil {
			return pl, &FileError{Path: path, Problem: ProblemUnreachable, Err: unwrapPath(cerr)}
		}
		if created {
			pl.fresh, pl.writable = true, true
			return pl, nil
		}
		info, err = os.Lstat(pl.path) // another pstab created it just now
	}
	if err != nil {
		return pl, &FileError{Path: path, Problem: ProblemUnreachable, Err: unwrapPath(err)}
	}
	if !info.Mode().IsRegular() {
		return pl, &FileError{Path: path, Problem: ProblemUnreachable, Err: errors.New("it is not a regular file")}
	}
	// SQLite opens the files beside it by name. One that is a link (to someone else's
	// file, in a shared folder) or not a file at all is not SQLite's: refuse, touching
	// nothing, rather than let anything write through it.
	for _, side := range []string{"-wal", "-shm", "-journal"} {
		si, err := os.Lstat(pl.path + side)
		if err == nil && !si.Mode().IsRegular() {
			what := "is not a regular file"
			if si.Mode()&fs.ModeSymlink != 0 {
				what = "is a symbolic link"
			}
			return pl, &FileError{Path: path, Problem: ProblemUnsafe, Detail: fmt.Sprintf("%s%s %s", pl.path, side, what)}
		}
	}
	fileAccess := access(pl.path, info)
	pl.readOnlyMedium = fileAccess == onReadOnlyMedium || dirAccess == onReadOnlyMedium
	pl.writable = fileAccess == canWrite && dirAccess == canWrite
	if !readOnly {
		if fileAccess != canWrite {
			return pl, readOnlyErr(path, fileAccess, ProblemReadOnlyFile)
		}
		if dirAccess != canWrite {
			return pl, readOnlyErr(path, dirAccess, ProblemReadOnlyDir)
		}
	}
	pl.fresh = info.Size() == 0
	if pl.openHere = openHere(pl.path); pl.openHere {
		// Another Store of this process has the file open, accepted: its files are read
		// through SQLite only, since closing a descriptor of the file, or of its -shm, would
		// drop the locks that Store's connection holds (POSIX locks belong to the process).
		pl.shmUsable = true
		return pl, nil
	}
	if !pl.fresh {
		// A file that does not start as an SQLite database does is refused before SQLite
		// sees it: SQLite would first open the -wal and -shm files beside it, and may
		// rewrite a stray -shm.
		head, err := readHead(pl.path, 100)
		if err != nil {
			return pl, &FileError{Path: path, Problem: ProblemUnreachable, Err: unwrapPath(err)}
		}
		if len(head) < 100 || string(head[:16]) != "SQLite format 3\x00" {
			return pl, &FileError{Path: path, Problem: ProblemNotDatabase}
		}
		id := binary.BigEndian.Uint32(head[68:72])
		if id != 0 && id != applicationID {
			return pl, &FileError{Path: path, Problem: ProblemForeign}
		}
		// A hot rollback journal beside a file that is pstab's, or that is one page at most
		// (64 KiB, the largest page: a first open that stopped while switching the new file to
		// WAL), may be rolled
		// back: that is SQLite's own recovery, giving the file as last committed.
		pl.mayRecover = id == applicationID || info.Size() <= 65536
	}
	pl.walFrames, pl.shmUsable = walState(pl.path, dirAccess == canWrite)
	return pl, nil
}

// writeAccess is whether a path can be written (access).
type writeAccess int

const (
	canWrite writeAccess = iota
	cannotWrite
	onReadOnlyMedium
)

// readOnlyErr is the refusal for a file or folder that cannot be written: the medium, or
// the permission (problem).
func readOnlyErr(path string, a writeAccess, problem Problem) error {
	if a == onReadOnlyMedium {
		return &FileError{Path: path, Problem: ProblemReadOnlyMedium}
	}
	return &FileError{Path: path, Problem: problem}
}

// safeFolder refuses a folder other users may write to: there they could replace the
// file's -wal or -shm with a link to a file of the partner's, which pstab and SQLite would
// then write to.
func safeFolder(path, dir string, info fs.FileInfo) error {
	if !info.IsDir() {
		return &FileError{Path: path, Problem: ProblemUnreachable, Err: fmt.Errorf("%s is not a folder", dir)}
	}
	if othersMayWrite(info) {
		return &FileError{Path: path, Problem: ProblemUnsafeFolder, Detail: dir}
	}
	return nil
}

// createPrivate creates the file at mode 0600 and reports whether it did; a file that
// exists already (another pstab just made it) is not an error. Creating it here, not
// letting SQLite do it, makes the -wal and -shm files private too: SQLite gives them the
// database's mode. The descriptor is closed before SQLite opens the file: closing one
// later would drop SQLite's locks.
func createPrivate(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL|oNoFollow, 0o600)
	if errors.Is(err, os.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, f.Close()
}

// tightenModes makes the file, -wal and -shm readable by their owner alone where they are
// more open than 0600, warning about what it changed or could not change. It runs only
// once the file has been accepted, and while no connection of this process has it open:
// its descriptors are closed again before any SQLite lock of this process exists to lose.
// SQLite gives -wal and -shm the mode of the file when it makes them (the inspection may
// have just now), so one warning about the file covers them.
func tightenModes(path string, warn func(string)) {
	fileWide := false
	for i, p := range []string{path, path + "-wal", path + "-shm"} {
		msg, err := tightenMode(p)
		switch {
		case err != nil:
			warn(fmt.Sprintf("%s is readable by others and pstab could not change that (%v); chmod 600 it.", p, err))
		case msg != "" && i == 0:
			fileWide = true
			warn(msg + ".")
		case msg != "" && !fileWide:
			warn(msg + ".")
		}
	}
}

// tightenMode makes path readable by its owner alone if it is more open than 0600, and
// reports what it did. It changes the file it opened (never following a link), and only a
// regular file of the user's own.
func tightenMode(path string) (string, error) {
	from, to, err := chmodPrivate(path, 0o700, false)
	if err != nil || from == to {
		return "", err
	}
	return fmt.Sprintf("%s was readable by others (mode %04o); pstab set it to %04o, since it holds partner data", path, from, to), nil
}

// unwrapPath drops the operation and path a *PathError repeats, for messages that name the
// file already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
