//go:build !unix

package main

import "time"

// cpuTime is not measured here; cpu_mb_per_s is then reported as 0.
func cpuTime() time.Duration { return 0 }
