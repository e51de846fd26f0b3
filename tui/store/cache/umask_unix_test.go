//go:build unix

package cache

import "syscall"

func umask(m int) int { return syscall.Umask(m) }
