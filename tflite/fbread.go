package tflite

import (
	"encoding/binary"
	"fmt"
	"math"
)

// formatError is raised (as a panic) by the bounds-checked flatbuffer accessors
// below and turned into an error by Read.
type formatError struct{ msg string }

func failf(format string, args ...any) {
	panic(formatError{fmt.Sprintf(format, args...)})
}

// fbuf is a bounds-checked view of a flatbuffer.
type fbuf struct{ b []byte }

func (f *fbuf) check(pos, n int) {
	if pos < 0 || n < 0 || pos > len(f.b) || n > len(f.b)-pos {
		failf("offset %d (+%d) outside the %d-byte file", pos, n, len(f.b))
	}
}

func (f *fbuf) u16(pos int) uint16 { f.check(pos, 2); return binary.LittleEndian.Uint16(f.b[pos:]) }
func (f *fbuf) u32(pos int) uint32 { f.check(pos, 4); return binary.LittleEndian.Uint32(f.b[pos:]) }
func (f *fbuf) u64(pos int) uint64 { f.check(pos, 8); return binary.LittleEndian.Uint64(f.b[pos:]) }
func (f *fbuf) u8(pos int) uint8   { f.check(pos, 1); return f.b[pos] }

// indirect follows the uoffset stored at pos.
func (f *fbuf) indirect(pos int) int {
	off := int64(f.u32(pos))
	t := int64(pos) + off
	if t > int64(len(f.b)) {
		failf("offset %d at %d points outside the file", off, pos)
	}
	return int(t)
}

// table is a flatbuffer table.
type table struct {
	f    *fbuf
	pos  int
	vt   int
	vlen int
}

func (f *fbuf) table(pos int) table {
	so := int64(int32(f.u32(pos)))
	vt := int64(pos) - so
	if vt < 0 || vt > int64(len(f.b)) {
		failf("vtable of table at %d outside the file", pos)
	}
	vlen := int(f.u16(int(vt)))
	if vlen < 4 || vlen%2 != 0 {
		failf("bad vtable length %d at %d", vlen, vt)
	}
	f.check(int(vt), vlen)
	return table{f: f, pos: pos, vt: int(vt), vlen: vlen}
}

// field returns the absolute position of field i, or 0 when absent.
func (t table) field(i int) int {
	o := 4 + 2*i
	if o+2 > t.vlen {
		return 0
	}
	off := int(t.f.u16(t.vt + o))
	if off == 0 {
		return 0
	}
	return t.pos + off
}

func (t table) i8(i int, def int8) int8 {
	if p := t.field(i); p != 0 {
		return int8(t.f.u8(p))
	}
	return def
}

func (t table) u8(i int, def uint8) uint8 {
	if p := t.field(i); p != 0 {
		return t.f.u8(p)
	}
	return def
}

func (t table) boolean(i int) bool { return t.u8(i, 0) != 0 }

func (t table) i32(i int, def int32) int32 {
	if p := t.field(i); p != 0 {
		return int32(t.f.u32(p))
	}
	return def
}

func (t table) u32(i int, def uint32) uint32 {
	if p := t.field(i); p != 0 {
		return t.f.u32(p)
	}
	return def
}

func (t table) u64(i int, def uint64) uint64 {
	if p := t.field(i); p != 0 {
		return t.f.u64(p)
	}
	return def
}

func (t table) f32(i int, def float32) float32 {
	if p := t.field(i); p != 0 {
		return math.Float32frombits(t.f.u32(p))
	}
	return def
}

// vector returns the start of the elements and the length of vector field i
// (elemSize bytes per element), checked to lie inside the file. ok is false when absent.
func (t table) vector(i, elemSize int) (start, n int, ok bool) {
	p := t.field(i)
	if p == 0 {
		return 0, 0, false
	}
	v := t.f.indirect(p)
	ln := int64(t.f.u32(v))
	if ln*int64(elemSize) > int64(len(t.f.b)-v-4) {
		failf("vector of %d elements at %d exceeds the file", ln, v)
	}
	return v + 4, int(ln), true
}

func (t table) str(i int) string {
	s, n, ok := t.vector(i, 1)
	if !ok {
		return ""
	}
	return string(t.f.b[s : s+n])
}

func (t table) bytes(i int) []byte {
	s, n, ok := t.vector(i, 1)
	if !ok || n == 0 {
		return nil
	}
	return append([]byte(nil), t.f.b[s:s+n]...)
}

func (t table) int32s(i int) []int32 {
	s, n, ok := t.vector(i, 4)
	if !ok {
		return nil
	}
	out := make([]int32, n)
	for k := range out {
		out[k] = int32(t.f.u32(s + 4*k))
	}
	return out
}

func (t table) float32s(i int) []float32 {
	s, n, ok := t.vector(i, 4)
	if !ok {
		return nil
	}
	out := make([]float32, n)
	for k := range out {
		out[k] = math.Float32frombits(t.f.u32(s + 4*k))
	}
	return out
}

func (t table) int64s(i int) []int64 {
	s, n, ok := t.vector(i, 8)
	if !ok {
		return nil
	}
	out := make([]int64, n)
	for k := range out {
		out[k] = int64(t.f.u64(s + 8*k))
	}
	return out
}

// tables returns the tables of vector-of-tables field i.
func (t table) tables(i int) []table {
	s, n, ok := t.vector(i, 4)
	if !ok {
		return nil
	}
	out := make([]table, n)
	for k := range out {
		out[k] = t.f.table(t.f.indirect(s + 4*k))
	}
	return out
}

// sub returns the table of field i and whether it is present.
func (t table) sub(i int) (table, bool) {
	p := t.field(i)
	if p == 0 {
		return table{}, false
	}
	return t.f.table(t.f.indirect(p)), true
}
