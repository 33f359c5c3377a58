package quantize

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trapnet/trapnet/ir"
	"github.com/trapnet/trapnet/tflite"
)

// armnnScript is the tflite package's Arm NN runner (one manifest line per
// model run: MODEL OUTDIR IN0.bin IN1.bin ...).
const armnnScript = "../tflite/testdata/armnn_run.py"

// dartsBuilder lays out a derived DARTS net the way trainer's Plan does
// (trainer/plan.go, trainer/plan_cells.go), with random weights and batch
// norm statistics.
type dartsBuilder struct {
	b *ir.Builder
	r *rand.Rand
	c map[string]int // channels per tensor
}

func (d *dartsBuilder) he(fanIn int, shape ...int) *ir.Tensor {
	return randT(d.r, math.Sqrt(2/float64(fanIn)), shape...)
}

func (d *dartsBuilder) relu(name, x string) string {
	d.c[name] = d.c[x]
	return d.b.Node(ir.ReLU, name, ir.Attrs{}, x)
}

func (d *dartsBuilder) bn(name, x string) string {
	d.c[name] = d.c[x]
	return bn(d.b, d.r, name, x, d.c[x])
}

func (d *dartsBuilder) conv(name, x string, cout, k, stride int) string {
	d.c[name] = cout
	return d.b.Conv2D(name, x, d.he(k*k*d.c[x], cout, k, k, d.c[x]), nil, ir.Attrs{Strides: [2]int{stride, stride}})
}

func (d *dartsBuilder) dw(name, x string, k, stride, dil int) string {
	d.c[name] = d.c[x]
	return d.b.DepthwiseConv2D(name, x, d.he(k*k, 1, k, k, d.c[x]), nil,
		ir.Attrs{Strides: [2]int{stride, stride}, Dilations: [2]int{dil, dil}})
}

func (d *dartsBuilder) fc(name, x string, out int) string {
	d.c[name] = out
	return d.b.FullyConnected(name, x, d.he(d.c[x], out, d.c[x]), randT(d.r, 0.1, out))
}

func (d *dartsBuilder) node(op ir.Op, name string, a ir.Attrs, c int, in ...string) string {
	d.c[name] = c
	return d.b.Node(op, name, a, in...)
}

func (d *dartsBuilder) pool(op ir.Op, name, x string, stride int) string {
	return d.node(op, name, ir.Attrs{Kernel: [2]int{3, 3}, Strides: [2]int{stride, stride}}, d.c[x], x)
}

func (d *dartsBuilder) reluConvBN(name, x string, cout, stride int) string {
	return d.bn(name+"/bn", d.conv(name+"/conv", d.relu(name+"/relu", x), cout, 1, stride))
}

// factorizedReduce is ReLU, one masked 2x2 stride-2 VALID conv (first half
// of the outputs on tap (0,0), the rest on tap (1,1)) and BN.
func (d *dartsBuilder) factorizedReduce(name, x string, cout int) string {
	r := d.relu(name+"/relu", x)
	cin := d.c[x]
	w := d.he(cin, cout, 2, 2, cin)
	for o := range cout {
		keep := 0
		if o >= cout/2 {
			keep = 3
		}
		for tap := range 4 {
			if tap != keep {
				clear(w.Data[(o*4+tap)*cin : (o*4+tap+1)*cin])
			}
		}
	}
	d.c[name+"/conv"] = cout
	c := d.b.Conv2D(name+"/conv", r, w, nil, ir.Attrs{Strides: [2]int{2, 2}, Padding: ir.Valid})
	return d.bn(name+"/bn", c)
}

func (d *dartsBuilder) sepConv(name, x string, k, stride int) string {
	c := d.c[x]
	y := d.dw(name+"/dw1", d.relu(name+"/relu1", x), k, stride, 1)
	y = d.bn(name+"/bn1", d.conv(name+"/pw1", y, c, 1, 1))
	y = d.dw(name+"/dw2", d.relu(name+"/relu2", y), k, 1, 1)
	return d.bn(name+"/bn2", d.conv(name+"/pw2", y, c, 1, 1))
}

func (d *dartsBuilder) dilConv(name, x string, k, stride int) string {
	y := d.dw(name+"/dw", d.relu(name+"/relu", x), k, stride, 2)
	return d.bn(name+"/bn", d.conv(name+"/pw", y, d.c[x], 1, 1))
}

func (d *dartsBuilder) squeezeExcite(name, x string) string {
	c := d.c[x]
	s := d.node(ir.GlobalMean, name+"/gap", ir.Attrs{}, c, x)
	s = d.relu(name+"/fc1/relu", d.fc(name+"/fc1", s, max(c/4, 1)))
	s = d.node(ir.Sigmoid, name+"/sigmoid", ir.Attrs{}, c, d.fc(name+"/fc2", s, c))
	s = d.node(ir.Reshape, name+"/scale", ir.Attrs{Shape: []int{1, 1, 1, c}}, c, s)
	return d.node(ir.Mul, name+"/mul", ir.Attrs{}, c, x, s)
}

func (d *dartsBuilder) add(name, x, y string) string {
	return d.node(ir.Add, name, ir.Attrs{}, d.c[x], x, y)
}

func (d *dartsBuilder) concat(name string, in ...string) string {
	c := 0
	for _, x := range in {
		c += d.c[x]
	}
	return d.node(ir.Concat, name, ir.Attrs{Axis: -1}, c, in...)
}

// dartsNet is a derived DARTS net with metadata fusion as trainer exports it
// (before BN folding): image [1,16,16,3], metadata [1,7], 10 logits. Stem
// conv+BN; a normal cell (sep_conv_3x3, dil_conv_3x3, max pool, squeeze-excite,
// avg pool, identity skip); a reduction cell (stride-2 max pool, factorised
// reduce, stride-2 sep conv, avg pool, squeeze-excite after a factorised
// reduce, dil_conv_5x5); a normal cell after it (factorised-reduce pre0,
// conv_1x1, sep_conv_5x5, max pool); global mean; metadata MLP; concat
// fusion, FC-ReLU, FC logits.
func dartsNet(t testing.TB, seed uint64) *ir.Graph {
	t.Helper()
	d := &dartsBuilder{b: ir.NewBuilder(), r: rand.New(rand.NewPCG(seed, 11)), c: map[string]int{}}
	img := d.b.Input("image", 1, 16, 16, 3)
	meta := d.b.Input("metadata", 1, 7)
	d.c[img], d.c[meta] = 3, 7
	stem := d.bn("stem/bn", d.conv("stem/conv", img, 16, 3, 1))

	// cell0: normal, C=8.
	p0 := d.reluConvBN("cell0/pre0", stem, 8, 1)
	p1 := d.reluConvBN("cell0/pre1", stem, 8, 1)
	n0 := d.add("cell0/n0/sum1", d.sepConv("cell0/n0/e0_sep_conv_3x3", p0, 3, 1), d.dilConv("cell0/n0/e1_dil_conv_3x3", p1, 3, 1))
	n1 := d.add("cell0/n1/sum1", d.pool(ir.MaxPool, "cell0/n1/e0_max_pool_3x3", n0, 1), d.squeezeExcite("cell0/n1/e1_squeeze_excite", p0))
	n2 := d.add("cell0/n2/sum1", d.pool(ir.AvgPool, "cell0/n2/e0_avg_pool_3x3", p1, 1), n0)
	cell0 := d.concat("cell0/out", n0, n1, n2)

	// cell1: reduction, C=16.
	p0 = d.reluConvBN("cell1/pre0", stem, 16, 1)
	p1 = d.reluConvBN("cell1/pre1", cell0, 16, 1)
	n0 = d.add("cell1/n0/sum1", d.pool(ir.MaxPool, "cell1/n0/e0_max_pool_3x3", p0, 2), d.factorizedReduce("cell1/n0/e1_skip_connect", p1, 16))
	n1 = d.add("cell1/n1/sum1", d.sepConv("cell1/n1/e0_sep_conv_3x3", p0, 3, 2), d.pool(ir.AvgPool, "cell1/n1/e1_avg_pool_3x3", n0, 1))
	se := d.squeezeExcite("cell1/n2/e0_squeeze_excite", d.factorizedReduce("cell1/n2/e0_squeeze_excite/reduce", p1, 16))
	n2 = d.add("cell1/n2/sum1", se, d.dilConv("cell1/n2/e1_dil_conv_5x5", n1, 5, 1))
	cell1 := d.concat("cell1/out", n0, n1, n2)

	// cell2: normal after a reduction (pre0 is a factorised reduce), C=16.
	p0 = d.factorizedReduce("cell2/pre0", cell0, 16)
	p1 = d.reluConvBN("cell2/pre1", cell1, 16, 1)
	n0 = d.add("cell2/n0/sum1", d.reluConvBN("cell2/n0/e0_conv_1x1", p0, 16, 1), d.sepConv("cell2/n0/e1_sep_conv_5x5", p1, 5, 1))
	n1 = d.add("cell2/n1/sum1", n0, d.pool(ir.MaxPool, "cell2/n1/e1_max_pool_3x3", p1, 1))
	cell2 := d.concat("cell2/out", n0, n1)
	gap := d.node(ir.GlobalMean, "image/gap", ir.Attrs{}, d.c[cell2], cell2)

	m := d.relu("meta/fc1/relu", d.fc("meta/fc1", meta, 16))
	m = d.relu("meta/fc2/relu", d.fc("meta/fc2", m, 16))

	x := d.concat("fusion/concat", gap, m)
	x = d.relu("fusion/fc1/relu", d.fc("fusion/fc1", x, 24))
	logits := d.fc("logits", x, 10)
	g, err := d.b.Graph(ir.Logits, logits)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// armnnJob is one model run on one set of raw inputs, by Arm NN (outputs in
// dir) and by tflite.
type armnnJob struct {
	name string
	m    *tflite.Model
	in   [][]byte // raw little-endian data per model input
	dir  string
}

// runArmNN writes the jobs' models and inputs under tmp, runs them all
// through Arm NN in one python process and returns each job's raw outputs
// (nil and the error text where Arm NN rejected or failed the model).
func runArmNN(t *testing.T, tmp string, jobs []*armnnJob) (outs [][][]byte, errs []string) {
	t.Helper()
	var manifest strings.Builder
	paths := map[*tflite.Model]string{}
	for i, j := range jobs {
		path, ok := paths[j.m]
		if !ok {
			data, err := tflite.Write(j.m)
			if err != nil {
				t.Fatalf("%s: %v", j.name, err)
			}
			path = filepath.Join(tmp, fmt.Sprintf("model%d.tflite", len(paths)))
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			paths[j.m] = path
		}
		j.dir = filepath.Join(tmp, fmt.Sprintf("job%d", i))
		if err := os.MkdirAll(j.dir, 0o755); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&manifest, "%s\t%s", path, j.dir)
		for k, raw := range j.in {
			p := filepath.Join(j.dir, fmt.Sprintf("in%d.bin", k))
			if err := os.WriteFile(p, raw, 0o644); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&manifest, "\t%s", p)
		}
		manifest.WriteString("\n")
	}
	mf := filepath.Join(tmp, "manifest.tsv")
	if err := os.WriteFile(mf, []byte(manifest.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("/usr/bin/python3", armnnScript, mf).CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 3 {
			t.Skipf("Arm NN unavailable: %s", out)
		}
		t.Fatalf("%s: %v\n%s", armnnScript, err, out)
	}
	outs, errs = make([][][]byte, len(jobs)), make([]string, len(jobs))
	for i, j := range jobs {
		if e, err := os.ReadFile(filepath.Join(j.dir, "error.txt")); err == nil {
			errs[i] = string(e)
			continue
		}
		for k := range j.m.Outputs {
			b, err := os.ReadFile(filepath.Join(j.dir, fmt.Sprintf("out%d.bin", k)))
			if err != nil {
				t.Fatalf("%s: %v", j.name, err)
			}
			outs[i] = append(outs[i], b)
		}
	}
	return outs, errs
}

// runGo runs the job through tflite.NewInterpreter and returns the raw
// outputs.
func runGo(j *armnnJob) ([][]byte, error) {
	it, err := tflite.NewInterpreter(j.m, tflite.InterpreterOptions{})
	if err != nil {
		return nil, err
	}
	for k, x := range j.m.Inputs {
		raw := j.in[k]
		switch j.m.Tensors[x].Type {
		case tflite.Float32:
			err = it.SetInputFloat32(k, decodeF32(raw))
		case tflite.Int8:
			v := make([]int8, len(raw))
			for i, b := range raw {
				v[i] = int8(b)
			}
			err = it.SetInputInt8(k, v)
		default:
			err = fmt.Errorf("input %d has type %v", k, j.m.Tensors[x].Type)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := it.Invoke(); err != nil {
		return nil, err
	}
	var outs [][]byte
	for k, x := range j.m.Outputs {
		switch j.m.Tensors[x].Type {
		case tflite.Float32:
			y, err := it.OutputFloat32(k)
			if err != nil {
				return nil, err
			}
			outs = append(outs, encodeF32(y))
		case tflite.Int8:
			y, err := it.OutputInt8(k)
			if err != nil {
				return nil, err
			}
			b := make([]byte, len(y))
			for i, v := range y {
				b[i] = byte(v)
			}
			outs = append(outs, b)
		default:
			return nil, fmt.Errorf("output %d has type %v", k, j.m.Tensors[x].Type)
		}
	}
	return outs, nil
}

func encodeF32(x []float32) []byte {
	b := make([]byte, 4*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

func decodeF32(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}

// values decodes raw tensor data: int8 as integers (quantised steps), float
// as is.
func values(tt tflite.Tensor, raw []byte) []float64 {
	out := make([]float64, 0, len(raw))
	if tt.Type == tflite.Int8 {
		for _, b := range raw {
			out = append(out, float64(int8(b)))
		}
		return out
	}
	for _, v := range decodeF32(raw) {
		out = append(out, float64(v))
	}
	return out
}

// rawSample is one sample of a float input as the model's input tensor
// holds it (int8 inputs quantised with the tensor's parameters).
func rawSample(tt tflite.Tensor, x []float32) ([]byte, error) {
	switch tt.Type {
	case tflite.Float32:
		return encodeF32(x), nil
	case tflite.Int8:
		p, err := tensorParams(tt)
		if err != nil {
			return nil, err
		}
		b := make([]byte, len(x))
		for i, v := range x {
			b[i] = byte(p.Quantize(v))
		}
		return b, nil
	}
	return nil, fmt.Errorf("input %q has type %v", tt.Name, tt.Type)
}

// probs converts the model's output to probabilities (dequantising int8).
func probs(tt tflite.Tensor, raw []byte) []float64 {
	v := values(tt, raw)
	if tt.Type == tflite.Int8 {
		s, zp := float64(tt.Quant.Scale[0]), float64(tt.Quant.ZeroPoint[0])
		for i := range v {
			v[i] = s * (v[i] - zp)
		}
	}
	return v
}

// outputTolerance is one quantisation step of the model's output: 1 for an
// int8 output, the SOFTMAX output scale (1/256) for an int8 model's float
// output (DEQUANTIZE), 1e-4 for a float model.
func outputTolerance(m *tflite.Model) float64 {
	out := m.Outputs[0]
	if m.Tensors[out].Type == tflite.Int8 {
		return 1
	}
	for _, op := range m.Operators {
		if op.Op == tflite.OpDequantize && op.Outputs[0] == out {
			return float64(m.Tensors[op.Inputs[0]].Quant.Scale[0]) * 1.001
		}
	}
	return 1e-4
}

func maxAbsDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func argmax64(x []float64) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

// singleOps splits m into one model per operator: the operator with its
// constant operands, its activation operands as model inputs and its output
// as the model output. src lists, per model, the original tensor index of
// each input.
func singleOps(m *tflite.Model) (models []*tflite.Model, src [][]int32) {
	for _, op := range m.Operators {
		s := tflite.NewModel()
		var from []int32
		sop := tflite.Operator{Op: op.Op, Version: op.Version, Options: op.Options}
		for _, x := range op.Inputs {
			if x < 0 {
				sop.Inputs = append(sop.Inputs, -1)
				continue
			}
			tt := m.Tensors[x]
			if tt.Buffer != 0 {
				tt.Buffer = s.AddBuffer(m.Buffers[tt.Buffer].Data)
				sop.Inputs = append(sop.Inputs, s.AddTensor(tt))
				continue
			}
			i := s.AddTensor(tt)
			s.Inputs = append(s.Inputs, i)
			from = append(from, x)
			sop.Inputs = append(sop.Inputs, i)
		}
		for _, x := range op.Outputs {
			i := s.AddTensor(m.Tensors[x])
			s.Outputs = append(s.Outputs, i)
			sop.Outputs = append(sop.Outputs, i)
		}
		s.AddOperator(sop)
		models = append(models, s)
		src = append(src, from)
	}
	return models, src
}

// TestArmNNCrossCheckBuild cross-checks the production quantiser's files
// (FoldBatchNorm, NewCalibrator, Build, tflite.Write: what `trainer
// quantize` does) for a derived DARTS net with metadata fusion against Arm
// NN 20.08's TFLite parser (CpuRef backend, Debian's python3-pyarmnn), for
// float I/O and int8 I/O (MinMax calibration; Percentile with float I/O),
// and the float model of BuildFloat.
//
//   - Every operator of every int8 file, run alone on the int8 inputs that
//     tflite computes for it, must agree with Arm NN within 1 quantisation
//     step (1e-6 for a float DEQUANTIZE output). This pins each emitted
//     operator (options, per-channel weights, bias scales, requantisation)
//     to an independent implementation.
//   - End to end, on random image + metadata samples: the float model within
//     1e-4 and the same top-1 class for every model. The int8 outputs are
//     not held to 1 step end to end: Arm NN's reference kernels dequantise,
//     compute in float and requantise, so they differ from TFLite's
//     fixed-point arithmetic by up to 1 step in a fraction of a percent of
//     the elements per operator (more for AVERAGE_POOL_2D, where TFLite
//     rounds the raw int8 sum half away from zero and Arm NN rounds relative
//     to the zero point), and ~70 operators with random weights amplify that
//     (a step before a SIGMOID or SOFTMAX is several after it; seen: up to
//     22 output steps, 0.09 in probability). Instead tflite must be about as
//     close to the float graph as Arm NN is (mean |p - p_float| at most
//     1.25x Arm NN's plus 1/512), and Arm NN's run of each int8 file must
//     stay near the float graph (mean |p - p_float| <= 0.02, top-1 agreement
//     >= 3/4). (A trained 3-cell model, run by hand, agreed within 2 output
//     steps end to end.)
func TestArmNNCrossCheckBuild(t *testing.T) {
	if out, err := exec.Command("/usr/bin/python3", "-c", "import pyarmnn").CombinedOutput(); err != nil {
		t.Skipf("Arm NN cross-check skipped: /usr/bin/python3 cannot import pyarmnn (apt-get install python3-pyarmnn): %v %s", err, out)
	}
	g, err := FoldBatchNorm(dartsNet(t, 3))
	if err != nil {
		t.Fatal(err)
	}
	calib := func(m Method) map[string]Range {
		cal, err := NewCalibrator(g, m)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(3, 6))
		for range 4 {
			if _, err := cal.Observe(randT(r, 1, 8, 16, 16, 3), randT(r, 1, 8, 7)); err != nil {
				t.Fatal(err)
			}
		}
		ranges, err := cal.Ranges()
		if err != nil {
			t.Fatal(err)
		}
		return ranges
	}
	var variants []armnnVariant
	for _, v := range []struct {
		name   string
		method Method
		io     IO
	}{{"int8/float_io", MinMax, IOFloat}, {"int8/int8_io", MinMax, IOInt8}, {"int8/float_io_percentile", Percentile, IOFloat}} {
		m, err := Build(g, calib(v.method), Options{IO: v.io, Metadata: map[string][]byte{tflite.MetaVersion: []byte("test")}})
		if err != nil {
			t.Fatal(err)
		}
		variants = append(variants, armnnVariant{name: v.name, m: roundTripModel(t, m)})
	}
	fm, err := BuildFloat(g, Options{})
	if err != nil {
		t.Fatal(err)
	}
	variants = append(variants, armnnVariant{name: "float", m: roundTripModel(t, fm), float: true})
	// The file must exercise every operator the trainer's nets lower to.
	seen := map[tflite.BuiltinOperator]bool{}
	dilated, valid := false, false
	for _, op := range variants[0].m.Operators {
		seen[op.Op] = true
		switch o := op.Options.(type) {
		case *tflite.DepthwiseConv2DOptions:
			dilated = dilated || o.DilationH > 1
		case *tflite.Conv2DOptions:
			valid = valid || (o.Padding == tflite.PaddingValid && o.StrideH == 2)
		}
	}
	for _, op := range []tflite.BuiltinOperator{tflite.OpQuantize, tflite.OpConv2D, tflite.OpDepthwiseConv2D, tflite.OpRelu,
		tflite.OpAveragePool2D, tflite.OpMaxPool2D, tflite.OpMean, tflite.OpFullyConnected, tflite.OpLogistic, tflite.OpReshape,
		tflite.OpMul, tflite.OpAdd, tflite.OpConcatenation, tflite.OpSoftmax, tflite.OpDequantize} {
		if !seen[op] {
			t.Errorf("the int8 model has no %v operator", op)
		}
	}
	if !dilated || !valid {
		t.Errorf("dilated depthwise %v, VALID stride-2 conv (factorised reduce) %v; want both", dilated, valid)
	}
	r := rand.New(rand.NewPCG(3, 5))
	armnnCrossCheck(t, g, variants, randT(r, 1, 8, 16, 16, 3), randT(r, 1, 8, 7))
}

// armnnVariant is one model file of a float graph.
type armnnVariant struct {
	name  string
	m     *tflite.Model
	float bool // BuildFloat's model: no per-operator check, 1e-4 end to end
}

// armnnCrossCheck runs the checks of TestArmNNCrossCheckBuild for the
// models of float graph g on a batch of float inputs (in g's input order).
func armnnCrossCheck(t *testing.T, g *ir.Graph, variants []armnnVariant, inputs ...*ir.Tensor) {
	t.Helper()
	n := inputs[0].Shape[0]
	want, err := FloatProbs(g, inputs...)
	if err != nil {
		t.Fatal(err)
	}
	var jobs []*armnnJob
	for _, v := range variants {
		for s := range n {
			j := &armnnJob{name: fmt.Sprintf("%s sample %d", v.name, s), m: v.m}
			for k, x := range v.m.Inputs {
				per := len(inputs[k].Data) / n
				raw, err := rawSample(v.m.Tensors[x], inputs[k].Data[s*per:(s+1)*per])
				if err != nil {
					t.Fatal(err)
				}
				j.in = append(j.in, raw)
			}
			jobs = append(jobs, j)
		}
	}
	nEnd := len(jobs)
	for vi, v := range variants {
		if v.float {
			continue
		}
		// Every intermediate tensor of sample 0 as tflite computes it.
		all := *v.m
		all.Outputs = nil
		for _, op := range v.m.Operators {
			all.Outputs = append(all.Outputs, op.Outputs...)
		}
		first := jobs[vi*n]
		vals, err := runGo(&armnnJob{m: &all, in: first.in})
		if err != nil {
			t.Fatal(err)
		}
		raw := map[int32][]byte{}
		for k, x := range v.m.Inputs {
			raw[x] = first.in[k]
		}
		for k, x := range all.Outputs {
			raw[x] = vals[k]
		}
		models, src := singleOps(v.m)
		for i, sm := range models {
			j := &armnnJob{name: fmt.Sprintf("%s op %d %v -> %q", v.name, i, v.m.Operators[i].Op, v.m.Tensors[v.m.Operators[i].Outputs[0]].Name), m: sm}
			for _, x := range src[i] {
				j.in = append(j.in, raw[x])
			}
			jobs = append(jobs, j)
		}
	}
	ref, armErrs := runArmNN(t, t.TempDir(), jobs)
	got := make([][][]byte, len(jobs))
	for i, j := range jobs {
		if got[i], err = runGo(j); err != nil {
			t.Fatalf("%s: tflite: %v", j.name, err)
		}
	}

	// Per operator: max |difference|, elements compared, elements that
	// differ and the sum of signed differences, by operator type.
	type opStat struct {
		worst              float64
		elems, differ, sum float64
	}
	stats := map[string]*opStat{}
	for i := nEnd; i < len(jobs); i++ {
		j := jobs[i]
		if armErrs[i] != "" {
			t.Errorf("%s: Arm NN failed:\n%s", j.name, armErrs[i])
			continue
		}
		tt := j.m.Tensors[j.m.Outputs[0]]
		a, b := values(tt, got[i][0]), values(tt, ref[i][0])
		d := maxAbsDiff(a, b)
		key := j.m.Operators[0].Op.String()
		st := stats[key]
		if st == nil {
			st = &opStat{}
			stats[key] = st
		}
		st.worst = max(st.worst, d)
		for e := range a {
			st.elems++
			if a[e] != b[e] {
				st.differ++
			}
			st.sum += a[e] - b[e]
		}
		tol := 1.0
		if tt.Type == tflite.Float32 {
			tol = 1e-6
		}
		if d > tol {
			t.Errorf("%s: max |tflite - Arm NN| = %.4g > %.4g", j.name, d, tol)
		}
	}
	keys := slices.Sorted(maps.Keys(stats))
	for _, k := range keys {
		st := stats[k]
		t.Logf("single %-18s max |tflite - Arm NN| %.3g, %5.2f%% of %6.0f elements differ, mean (tflite - Arm NN) %+.4f",
			k, st.worst, 100*st.differ/st.elems, st.elems, st.sum/st.elems)
	}

	// End to end.
	for vi, v := range variants {
		tol := outputTolerance(v.m)
		ot := v.m.Tensors[v.m.Outputs[0]]
		worst, agree, armFloat := 0.0, 0, 0
		var devGo, devArm float64
		for s := range n {
			i := vi*n + s
			if armErrs[i] != "" {
				t.Errorf("%s: Arm NN failed:\n%s", jobs[i].name, armErrs[i])
				continue
			}
			a, b := values(ot, got[i][0]), values(ot, ref[i][0])
			worst = max(worst, maxAbsDiff(a, b))
			if argmax64(a) == argmax64(b) {
				agree++
			} else {
				t.Errorf("%s: top-1 %d (tflite) vs %d (Arm NN); outputs %v vs %v", jobs[i].name, argmax64(a), argmax64(b), a, b)
			}
			pg, pa := probs(ot, got[i][0]), probs(ot, ref[i][0])
			k := len(pg)
			f64 := make([]float64, k)
			for c := range k {
				f64[c] = float64(want.Data[s*k+c])
			}
			if argmax64(pa) == argmax64(f64) {
				armFloat++
			}
			for c := range k {
				f := float64(want.Data[s*k+c])
				devGo += math.Abs(pg[c]-f) / float64(n*k)
				devArm += math.Abs(pa[c]-f) / float64(n*k)
			}
		}
		t.Logf("%s: %d samples, max |tflite - Arm NN| = %.3g (1 step = %.3g), top-1 agreement %d/%d; mean |p - p_float|: tflite %.4f, Arm NN %.4f; Arm NN top-1 = float graph's %d/%d",
			v.name, n, worst, tol, agree, n, devGo, devArm, armFloat, n)
		if v.float && worst > tol {
			t.Errorf("float model: max |tflite - Arm NN| = %.3g > %.3g", worst, tol)
		}
		// The file itself, run by Arm NN, must stay close to the float graph.
		if devArm > 0.02 || 4*armFloat < 3*n {
			t.Errorf("%s: Arm NN vs the float graph: mean |p - p_float| %.4f (want <= 0.02), top-1 agreement %d/%d (want >= 3/4)", v.name, devArm, armFloat, n)
		}
		if devGo > 1.25*devArm+1.0/512 {
			t.Errorf("%s: tflite is further from the float graph than Arm NN: mean |p - p_float| %.4f vs %.4f", v.name, devGo, devArm)
		}
	}
}
