//go:build unix

package store

import "syscall"

// canWrite asks the kernel whether this process may write to path: it catches what the
// mode bits do not show, such as a read-only mount or an immutable file.
func canWrite(path string) bool {
	return syscall.Access(path, 0x2 /* W_OK */) == nil
}
