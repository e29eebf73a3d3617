package binary

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Prune removes cached builds from cacheDir ("" means Config's default)
// but the keep most recent, and returns the directories it removed.
func Prune(cacheDir string, keep int) ([]string, error) {
	if cacheDir == "" {
		cacheDir = Config{}.withDefaults().CacheDir
	}
	entries, err := os.ReadDir(cacheDir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("prune builds: %w", err)
	}
	type build struct {
		path string
		mod  int64
	}
	var builds []build
	for _, e := range entries {
		if info, err := e.Info(); err == nil && e.IsDir() {
			builds = append(builds, build{filepath.Join(cacheDir, e.Name()), info.ModTime().UnixNano()})
		}
	}
	sort.Slice(builds, func(i, j int) bool { return builds[i].mod > builds[j].mod })
	var removed []string
	for i, b := range builds {
		if i < keep {
			continue
		}
		if err := os.RemoveAll(b.path); err != nil {
			return removed, fmt.Errorf("prune builds: %w", err)
		}
		removed = append(removed, b.path)
	}
	return removed, nil
}
