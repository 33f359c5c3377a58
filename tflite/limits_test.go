package tflite_test

import (
	"strings"
	"testing"
	"time"

	"github.com/trapnet/trapnet/tflite"
	"github.com/trapnet/trapnet/tflite/testmodel"
)

// Case 6 of issue 13: operator parameters far outside the input (a 2-byte
// mutation made an AVERAGE_POOL filter 2,046,820,355 cells wide, which hung
// Invoke) are refused when the interpreter is built, and wide but legal
// windows run in time proportional to the input, not the filter.
func TestHostileWindows(t *testing.T) {
	pool := func(k int32) *tflite.Model {
		b := testmodel.New(4)
		b.Output(b.Pool(tflite.OpAveragePool2D, b.Input(1, 8, 8, 2), 3, 1, tflite.PaddingSame))
		o := b.M.Operators[0].Options.(*tflite.Pool2DOptions)
		o.FilterWidth = k
		return b.M
	}
	tests := []struct {
		name string
		m    *tflite.Model
		opt  tflite.InterpreterOptions
		want string // "" = must build and run quickly
	}{
		{"pool filter 2046820355 wide", pool(2046820355), tflite.InterpreterOptions{}, "exceeds"},
		{"pool filter 60000 wide", pool(60000), tflite.InterpreterOptions{}, ""},
		{"work limit", pool(3), tflite.InterpreterOptions{MaxWork: 100}, "operations per run"},
		{"dilation span", func() *tflite.Model {
			b := testmodel.New(4)
			b.Output(b.DepthwiseDilated(b.Input(1, 8, 8, 2), 20, 1, 60000, tflite.PaddingSame, tflite.ActNone))
			return b.M
		}(), tflite.InterpreterOptions{}, "spans more than"},
		{"huge stride", func() *tflite.Model {
			m := pool(3)
			m.Operators[0].Options.(*tflite.Pool2DOptions).StrideW = 1 << 30
			return m
		}(), tflite.InterpreterOptions{}, "exceeds"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			it, err := tflite.NewInterpreter(tc.m, tc.opt)
			if err == nil {
				err = it.Invoke()
			}
			if tc.want == "" {
				if err != nil || time.Since(start) > 5*time.Second {
					t.Fatalf("err %v after %v", err, time.Since(start))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}
