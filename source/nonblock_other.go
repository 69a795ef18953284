//go:build !unix

package source

// openNonBlock: see nonblock_unix.go; elsewhere files are opened as usual.
const openNonBlock = 0
