//go:build unix

package source

import "syscall"

// openNonBlock keeps opening a FIFO (or a device) named as a source from blocking until a writer
// appears; such files are then refused as not regular. It does not change reading a regular file.
const openNonBlock = syscall.O_NONBLOCK
