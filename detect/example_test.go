package detect_test

import (
	"fmt"
	"image"
	"image/color"

	"github.com/trapnet/trapnet/detect"
)

// Example shows the agent's use: detect specimens, keep only new ones,
// crop them and compute their BIOSCAN-5M size fields.
func Example() {
	// A 400x300 sheet at 4 px/mm with one dark 10 mm x 5 mm specimen.
	frame := image.NewGray(image.Rect(0, 0, 400, 300))
	for y := range 300 {
		for x := range 400 {
			frame.SetGray(x, y, color.Gray{Y: 225})
			if dx, dy := float64(x-200)/20, float64(y-150)/10; dx*dx+dy*dy <= 1 {
				frame.SetGray(x, y, color.Gray{Y: 30})
			}
		}
	}
	tracker := detect.NewTracker(0.3, 10)
	for range 2 { // the same frame twice: the specimen is new only once
		specimens, err := detect.Detect(frame, detect.DefaultOptions(4))
		if err != nil {
			fmt.Println(err)
			return
		}
		boxes := make([]image.Rectangle, len(specimens))
		for i, s := range specimens {
			boxes[i] = s.Box
		}
		for i, tr := range tracker.Update(boxes) {
			if !tr.New {
				fmt.Println("track", tr.ID, "seen again")
				continue
			}
			s := specimens[i]
			crop := detect.Crop(frame, s.Extent, detect.DefaultMargin)
			rect := detect.CropRect(s.Extent, detect.DefaultMargin)
			size := detect.ReferenceSizeFields(s, rect, 4, detect.BIOSCANReference)
			fmt.Printf("track %d: box %v, %.1f mm long, crop %v, image_measurement_value %.0f, scale_factor %.2f\n",
				tr.ID, s.Box, s.LengthMM, crop.Bounds().Size(), size.ImageMeasurementValue, size.ScaleFactor)
		}
	}
	// Output:
	// track 1: box (181,141)-(220,160), 10.1 mm long, crop (50,50), image_measurement_value 770525, scale_factor 6.84
	// track 1 seen again
}
