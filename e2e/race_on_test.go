//go:build race

package e2e

// raceDetector reports whether the tests run under the race detector; tests of input handling that make
// thousands of sequential requests skip themselves there, as they have no concurrency to check.
const raceDetector = true
