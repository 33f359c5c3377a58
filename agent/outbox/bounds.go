package outbox

import (
	bolt "go.etcd.io/bbolt"
)

// over reports whether n entries of size bytes exceed the bounds. The newest
// entry is always kept, even if it alone is larger than MaxBytes.
func (o *Outbox) over(n int, size int64) bool {
	return n > 1 && (o.opt.MaxMessages > 0 && n > o.opt.MaxMessages || o.opt.MaxBytes > 0 && size > o.opt.MaxBytes)
}

// dropOver deletes entries from b while n entries of size bytes are over
// the bounds: the lowest priority present first, oldest first within it.
// It updates n, size and byPrio and returns how many it dropped.
func (o *Outbox) dropOver(b *bolt.Bucket, n *int, size *int64, byPrio *[MaxPriority + 1]int) (uint64, error) {
	var dropped uint64
	for prio := 0; prio <= MaxPriority && o.over(*n, *size); prio++ {
		if byPrio[prio] == 0 {
			continue
		}
		var victims [][]byte
		c := b.Cursor()
		for k, v := c.First(); k != nil && o.over(*n, *size); k, v = c.Next() {
			if int(priorityOf(v)) != prio {
				continue
			}
			victims = append(victims, append([]byte(nil), k...))
			*n--
			*size -= int64(len(v))
		}
		for _, k := range victims {
			if err := b.Delete(k); err != nil {
				return dropped, err
			}
		}
		dropped += uint64(len(victims))
		byPrio[prio] -= len(victims)
	}
	return dropped, nil
}
