package hub

import (
	"context"
	"testing"
	"time"
)

// Target: ingest >= 2,000 detections/s into SQLite on 2 cores. The peer is
// a plain loop inserting the same payloads, keyed by id, into a bare table
// of the same database in transactions of the same size: the floor the
// hub's parsing, night computation, trap bookkeeping and indexes add to.
//
//	go test -run '^$' -bench 'Ingest|PlainInsert' -benchtime 20000x ./hub/

const benchBatch = 512

// benchPayloads returns n distinct detection payloads.
func benchPayloads(b *testing.B, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = mustJSON(b, testDetection("trap-01", i))
	}
	return out
}

func BenchmarkIngest(b *testing.B) {
	s := openTest(b)
	payloads := benchPayloads(b, b.N)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	recs := make([]Record, 0, benchBatch)
	for i, p := range payloads {
		r, err := Parse("trapnet/trap-01/detections", p)
		if err != nil {
			b.Fatal(err)
		}
		if recs = append(recs, r); len(recs) == benchBatch || i == len(payloads)-1 {
			if _, err := s.Apply(ctx, recs); err != nil {
				b.Fatal(err)
			}
			recs = recs[:0]
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "detections/s")
}

func BenchmarkPlainInsert(b *testing.B) {
	s := openTest(b)
	if _, err := s.DB().Exec(`CREATE TABLE plain (id TEXT PRIMARY KEY, payload TEXT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	payloads := benchPayloads(b, b.N)
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = testDetection("trap-01", i).ID
	}
	b.ResetTimer()
	start := time.Now()
	for lo := 0; lo < b.N; lo += benchBatch {
		tx, err := s.DB().Begin()
		if err != nil {
			b.Fatal(err)
		}
		st, err := tx.Prepare(`INSERT INTO plain (id, payload) VALUES (?, ?)`)
		if err != nil {
			b.Fatal(err)
		}
		for i := lo; i < min(lo+benchBatch, b.N); i++ {
			if _, err := st.Exec(ids[i], string(payloads[i])); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "detections/s")
}
