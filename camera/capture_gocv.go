//go:build gocv

package camera

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"gocv.io/x/gocv"
)

// Capture is a Source over OpenCV's VideoCapture (gocv v0.31.0, the last
// gocv release that builds against Debian 12's OpenCV 4.6). It is only in
// builds with the tag gocv.
//
// Build (Debian 12, no opencv4.pc needed):
//
//	apt-get install -y --no-install-recommends libopencv-core-dev \
//	  libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-videoio-dev \
//	  libopencv-highgui-dev libopencv-video-dev libopencv-objdetect-dev \
//	  libopencv-calib3d-dev libopencv-features2d-dev libopencv-dnn-dev \
//	  libopencv-photo-dev libopencv-flann-dev libopencv-ml-dev \
//	  libopencv-stitching-dev
//	CGO_ENABLED=1 CGO_CPPFLAGS=-I/usr/include/opencv4 \
//	CGO_LDFLAGS="-lopencv_core -lopencv_imgproc -lopencv_imgcodecs \
//	  -lopencv_videoio -lopencv_highgui -lopencv_video -lopencv_objdetect \
//	  -lopencv_calib3d -lopencv_features2d -lopencv_dnn -lopencv_photo" \
//	go build -tags gocv,customenv ./cmd/agent
//
// (With the full libopencv-dev package, which ships opencv4.pc, plain
// `go build -tags gocv ./cmd/agent` works.) Build on the device itself:
// cross-building needs the target's OpenCV libraries.
type Capture struct {
	spec   string
	vc     *gocv.VideoCapture
	mat    gocv.Mat
	n      int
	closed bool
}

// CaptureOptions configures OpenCapture.
type CaptureOptions struct {
	// Width and Height request a capture size from a device (0 = driver
	// default). Ignored by most file and stream back-ends.
	Width, Height int
}

// OpenCapture opens spec: a device index ("0"), a stream URL
// ("rtsp://..."), a video file, or an image-sequence pattern
// ("frames/frame_%03d.png").
func OpenCapture(spec string, opts CaptureOptions) (*Capture, error) {
	var (
		vc  *gocv.VideoCapture
		err error
	)
	if id, aerr := strconv.Atoi(spec); aerr == nil {
		vc, err = gocv.VideoCaptureDevice(id)
	} else {
		vc, err = gocv.VideoCaptureFile(spec)
	}
	if err != nil {
		return nil, fmt.Errorf("camera: open capture %q: %w", spec, err)
	}
	if !vc.IsOpened() {
		vc.Close()
		return nil, fmt.Errorf("camera: open capture %q: not opened (no such device, file or stream)", spec)
	}
	if opts.Width > 0 {
		vc.Set(gocv.VideoCaptureFrameWidth, float64(opts.Width))
	}
	if opts.Height > 0 {
		vc.Set(gocv.VideoCaptureFrameHeight, float64(opts.Height))
	}
	return &Capture{spec: spec, vc: vc, mat: gocv.NewMat()}, nil
}

// Next grabs the next frame. It returns io.EOF when the video, sequence or
// stream ends or the device stops delivering frames (reopen to retry a live
// camera). Read itself cannot be interrupted; ctx is checked before it.
func (c *Capture) Next(ctx context.Context) (Frame, error) {
	if c.closed {
		return Frame{}, ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return Frame{}, err
	}
	if !c.vc.Read(&c.mat) || c.mat.Empty() {
		return Frame{}, io.EOF
	}
	img, err := c.mat.ToImage()
	if err != nil {
		return Frame{}, fmt.Errorf("camera: capture %q frame %d: %w", c.spec, c.n, err)
	}
	c.n++
	return Frame{ID: fmt.Sprintf("%06d", c.n), Image: img, Time: time.Now()}, nil
}

// Close releases the capture.
func (c *Capture) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	c.mat.Close()
	return c.vc.Close()
}
