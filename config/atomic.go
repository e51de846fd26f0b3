package config

import (
	"fmt"
	"os"
	"path/filepath"
)

// writeFileAtomic replaces path with data so that a reader (or a crash)
// sees the old content or the new, never a mix: the data goes to a temp
// file in the same directory (rename is only atomic within a filesystem),
// is fsynced, then renamed over path, and the directory is fsynced so the
// rename itself survives a power cut. The file is 0600; a missing directory
// is created 0700.
//
// beforeRename, when non-nil, runs after the temp file is complete and
// before the rename; tests use it to simulate a crash at the worst moment.
func writeFileAtomic(path string, data []byte, beforeRename func(tmp string) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	// CreateTemp makes the file 0600, so the content is never readable by
	// others, not even briefly.
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if err = f.Chmod(0o600); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if beforeRename != nil {
		if err = beforeRename(tmp); err != nil {
			return err
		}
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	// Best effort: some filesystems (and Windows) cannot sync a directory.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
