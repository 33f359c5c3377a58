package dataset

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bioscanHeader is the published column order.
var bioscanHeader = strings.Join(BIOSCANColumns, ",")

// bioscanRow builds a CSV row with the given fields set (others empty).
func bioscanRow(fields map[string]string) string {
	vals := make([]string, len(BIOSCANColumns))
	for i, c := range BIOSCANColumns {
		vals[i] = fields[c]
	}
	return strings.Join(vals, ",")
}

// jpegBytes encodes a w x h JPEG filled with a colour derived from seed.
func jpegBytes(t testing.TB, w, h int, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{R: seed + uint8(x), G: uint8(y) * 2, B: 255 - seed, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngBytes encodes a w x h grey-ramp PNG.
func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// fixtureRow is one specimen of a test dataset.
type fixtureRow struct {
	pid, split, chunk, order, species string
	lat, lon                          string
	image                             []byte // nil: no file written
	noChunkDir                        bool   // write the image directly under the split folder
}

// writeBIOSCAN writes a BIOSCAN-layout dataset into a temp dir and returns
// its root. extra lines are appended verbatim to the CSV.
func writeBIOSCAN(t testing.TB, rows []fixtureRow, extra ...string) string {
	t.Helper()
	root := t.TempDir()
	lines := []string{bioscanHeader}
	for _, r := range rows {
		lines = append(lines, bioscanRow(map[string]string{
			"processid": r.pid, "split": r.split, "chunk": r.chunk, "order": r.order, "species": r.species,
			"coord-lat": r.lat, "coord-lon": r.lon, "country": "Canada", "image_measurement_value": "1200",
		}))
		if r.image != nil {
			dir := filepath.Join(root, "images", "cropped_256", r.split)
			if r.chunk != "" && !r.noChunkDir {
				dir = filepath.Join(dir, r.chunk)
			}
			writeFile(t, filepath.Join(dir, r.pid+".jpg"), r.image)
		}
	}
	lines = append(lines, extra...)
	writeFile(t, filepath.Join(root, BIOSCANMetadataFile), []byte(strings.Join(lines, "\n")+"\n"))
	return root
}

// goodRows returns n train rows over 3 species plus 2 val and 1 test row,
// each with a 32x24 JPEG.
func goodRows(t testing.TB, n int) []fixtureRow {
	species := []string{"Aedes aegypti", "Bombus terrestris", "Culex pipiens"}
	var rows []fixtureRow
	for i := 0; i < n; i++ {
		rows = append(rows, fixtureRow{pid: "TR" + string(rune('A'+i%26)) + string(rune('a'+i/26)), split: "train", chunk: "1",
			order: "Diptera", species: species[i%3], lat: "45.5", lon: "-75.1", image: jpegBytes(t, 32, 24, uint8(i*10))})
	}
	rows = append(rows,
		fixtureRow{pid: "VA1", split: "val", order: "Diptera", species: species[0], lat: "10", lon: "-84", image: jpegBytes(t, 32, 32, 1)},
		fixtureRow{pid: "VA2", split: "val", order: "Diptera", species: species[1], image: jpegBytes(t, 32, 32, 2)},
		fixtureRow{pid: "TE1", split: "test", order: "Hymenoptera", species: species[2], image: jpegBytes(t, 40, 32, 3)},
	)
	return rows
}
