//go:build !linux

package cache

import "time"

func threadCPU() time.Duration { return 0 }
