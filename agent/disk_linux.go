package agent

import "syscall"

// DiskUsage returns the free and total bytes of the file system holding path.
func DiskUsage(path string) Disk {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return Disk{Path: path}
	}
	return Disk{Path: path, FreeBytes: st.Bavail * uint64(st.Bsize), TotalBytes: st.Blocks * uint64(st.Bsize)}
}
