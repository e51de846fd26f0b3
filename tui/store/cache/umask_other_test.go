//go:build !unix

package cache

func umask(int) int { return 0 }
