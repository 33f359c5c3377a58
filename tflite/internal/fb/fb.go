// Package fb is a small bounds-checked reader of flatbuffer tables, vectors and
// strings. Accessors panic with an Error on out-of-range offsets; callers
// recover it at their API boundary and return it as an error.
package fb

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Error is raised (as a panic) by the accessors on corrupt data.
type Error struct{ Msg string }

// Error implements the error interface.
func (e Error) Error() string { return e.Msg }

func failf(format string, args ...any) {
	panic(Error{fmt.Sprintf(format, args...)})
}

// Buf is a bounds-checked view of a flatbuffer.
type Buf struct{ B []byte }

// New returns a Buf over b.
func New(b []byte) *Buf { return &Buf{B: b} }

func (f *Buf) check(pos, n int) {
	if pos < 0 || n < 0 || pos > len(f.B) || n > len(f.B)-pos {
		failf("offset %d (+%d) outside the %d-byte file", pos, n, len(f.B))
	}
}

func (f *Buf) u16(pos int) uint16 { f.check(pos, 2); return binary.LittleEndian.Uint16(f.B[pos:]) }
func (f *Buf) u32(pos int) uint32 { f.check(pos, 4); return binary.LittleEndian.Uint32(f.B[pos:]) }
func (f *Buf) u64(pos int) uint64 { f.check(pos, 8); return binary.LittleEndian.Uint64(f.B[pos:]) }
func (f *Buf) u8(pos int) uint8   { f.check(pos, 1); return f.B[pos] }

// Indirect follows the uoffset stored at pos.
func (f *Buf) Indirect(pos int) int {
	off := int64(f.u32(pos))
	t := int64(pos) + off
	if t > int64(len(f.B)) {
		failf("offset %d at %d points outside the file", off, pos)
	}
	return int(t)
}

// Table is a flatbuffer Table.
type Table struct {
	f    *Buf
	pos  int
	vt   int
	vlen int
}

// Table returns the table at pos.
func (f *Buf) Table(pos int) Table {
	so := int64(int32(f.u32(pos)))
	vt := int64(pos) - so
	if vt < 0 || vt > int64(len(f.B)) {
		failf("vtable of Table at %d outside the file", pos)
	}
	vlen := int(f.u16(int(vt)))
	if vlen < 4 || vlen%2 != 0 {
		failf("bad vtable length %d at %d", vlen, vt)
	}
	f.check(int(vt), vlen)
	return Table{f: f, pos: pos, vt: int(vt), vlen: vlen}
}

// Field returns the absolute position of field i, or 0 when absent.
func (t Table) Field(i int) int {
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

// I8 returns int8 field i or def.
func (t Table) I8(i int, def int8) int8 {
	if p := t.Field(i); p != 0 {
		return int8(t.f.u8(p))
	}
	return def
}

// U8 returns uint8 field i or def.
func (t Table) U8(i int, def uint8) uint8 {
	if p := t.Field(i); p != 0 {
		return t.f.u8(p)
	}
	return def
}

// Boolean returns bool field i (default false).
func (t Table) Boolean(i int) bool { return t.U8(i, 0) != 0 }

// I32 returns int32 field i or def.
func (t Table) I32(i int, def int32) int32 {
	if p := t.Field(i); p != 0 {
		return int32(t.f.u32(p))
	}
	return def
}

// U32 returns uint32 field i or def.
func (t Table) U32(i int, def uint32) uint32 {
	if p := t.Field(i); p != 0 {
		return t.f.u32(p)
	}
	return def
}

// U64 returns uint64 field i or def.
func (t Table) U64(i int, def uint64) uint64 {
	if p := t.Field(i); p != 0 {
		return t.f.u64(p)
	}
	return def
}

// F32 returns float32 field i or def.
func (t Table) F32(i int, def float32) float32 {
	if p := t.Field(i); p != 0 {
		return math.Float32frombits(t.f.u32(p))
	}
	return def
}

// Vector returns the start of the elements and the length of vector field i
// (elemSize bytes per element), checked to lie inside the file. ok is false when absent.
func (t Table) Vector(i, elemSize int) (start, n int, ok bool) {
	p := t.Field(i)
	if p == 0 {
		return 0, 0, false
	}
	v := t.f.Indirect(p)
	ln := int64(t.f.u32(v))
	if ln*int64(elemSize) > int64(len(t.f.B)-v-4) {
		failf("vector of %d elements at %d exceeds the file", ln, v)
	}
	return v + 4, int(ln), true
}

// Str returns string field i ("" when absent).
func (t Table) Str(i int) string {
	s, n, ok := t.Vector(i, 1)
	if !ok {
		return ""
	}
	return string(t.f.B[s : s+n])
}

// Bytes returns a copy of [ubyte] field i.
func (t Table) Bytes(i int) []byte {
	s, n, ok := t.Vector(i, 1)
	if !ok || n == 0 {
		return nil
	}
	return append([]byte(nil), t.f.B[s:s+n]...)
}

// Int32s returns [int] field i.
func (t Table) Int32s(i int) []int32 {
	s, n, ok := t.Vector(i, 4)
	if !ok {
		return nil
	}
	out := make([]int32, n)
	for k := range out {
		out[k] = int32(t.f.u32(s + 4*k))
	}
	return out
}

// Float32s returns [float] field i.
func (t Table) Float32s(i int) []float32 {
	s, n, ok := t.Vector(i, 4)
	if !ok {
		return nil
	}
	out := make([]float32, n)
	for k := range out {
		out[k] = math.Float32frombits(t.f.u32(s + 4*k))
	}
	return out
}

// Int64s returns [long] field i.
func (t Table) Int64s(i int) []int64 {
	s, n, ok := t.Vector(i, 8)
	if !ok {
		return nil
	}
	out := make([]int64, n)
	for k := range out {
		out[k] = int64(t.f.u64(s + 8*k))
	}
	return out
}

// Tables returns the tables of vector-of-tables field i.
func (t Table) Tables(i int) []Table {
	s, n, ok := t.Vector(i, 4)
	if !ok {
		return nil
	}
	out := make([]Table, n)
	for k := range out {
		out[k] = t.f.Table(t.f.Indirect(s + 4*k))
	}
	return out
}

// Sub returns the Table of field i and whether it is present.
func (t Table) Sub(i int) (Table, bool) {
	p := t.Field(i)
	if p == 0 {
		return Table{}, false
	}
	return t.f.Table(t.f.Indirect(p)), true
}

// Empty returns a table without fields: every accessor returns its default.
func Empty() Table {
	return Table{f: &Buf{B: []byte{4, 0, 4, 0, 4, 0, 0, 0}}, pos: 4, vt: 0, vlen: 4}
}

// IsZero reports whether t is the zero Table (no table).
func (t Table) IsZero() bool { return t.f == nil }
