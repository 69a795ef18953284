//go:build unix

// Package cputime reads the CPU time a benchmark process has used.
package cputime

import (
	"syscall"
	"time"
)

// Used is the CPU time the process has used (user and system, all threads:
// with GOMAXPROCS=1 that is the code measured and its garbage collection).
// On a shared machine it moves far less with other load than the wall
// clock.
func Used() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
