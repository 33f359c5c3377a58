package modelupdate

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// Payload is the JSON accepted on <prefix>model/set: either an update
// (exactly one of URL and Data, with SHA256) or a rollback command
// (Rollback true, nothing else but Version and Signature).
type Payload struct {
	// URL is an https:// URL, or an absolute path (or file:// URL) under
	// the trap's model.update_dir.
	URL string `json:"url,omitempty"`
	// Data is the whole .tflite file, base64.
	Data string `json:"data,omitempty"`
	// SHA256 is the file's hex digest.
	SHA256 string `json:"sha256,omitempty"`
	// Version is signed and must be higher than every version the trap
	// accepted before (updates and rollbacks share one sequence).
	Version uint64 `json:"version"`
	// Rollback restores the previous model (model.tflite.prev).
	Rollback bool `json:"rollback,omitempty"`
	// Signature is `trainer sign`'s base64 ed25519 signature over
	// SHA256 and Version (or, for a rollback, over Version).
	Signature string `json:"signature"`
}

// maxPayloadOverhead is what a payload may carry beyond the base64 model.
const maxPayloadOverhead = 4 << 10

// maxPayloadBytes is the largest model/set message accepted for a cap of
// maxModel model bytes (checked before the JSON is decoded).
func maxPayloadBytes(maxModel int64) int64 {
	return (max(maxModel, 0)+2)/3*4 + maxPayloadOverhead // base64 length, in int64 (32-bit boards)
}

// rawBytes keeps a JSON value as a sub-slice of the input, uncopied
// (json.Unmarshal hands UnmarshalJSON a slice of its input).
type rawBytes []byte

// UnmarshalJSON implements json.Unmarshaler.
func (r *rawBytes) UnmarshalJSON(b []byte) error {
	*r = b
	return nil
}

// wirePayload is Payload as parsed: Data stays a view into the message.
type wirePayload struct {
	URL       string   `json:"url"`
	Data      rawBytes `json:"data"`
	SHA256    string   `json:"sha256"`
	Version   uint64   `json:"version"`
	Rollback  bool     `json:"rollback"`
	Signature string   `json:"signature"`
}

var payloadFields = map[string]bool{"url": true, "data": true, "sha256": true, "version": true, "rollback": true, "signature": true}

// parsePayload checks the size, decodes strictly and checks the form,
// without copying the (possibly large) data field. It never reads a file
// or the network.
func parsePayload(raw []byte, maxModel int64) (wirePayload, []byte, error) {
	var p wirePayload
	if int64(len(raw)) > maxPayloadBytes(maxModel) {
		return p, nil, refuse("payload of %d bytes exceeds the %d allowed for model.max_update_bytes %d", len(raw), maxPayloadBytes(maxModel), maxModel)
	}
	var keys map[string]rawBytes
	if err := json.Unmarshal(raw, &keys); err != nil {
		return p, nil, refuse("payload is not the model/set JSON (%v)", err)
	}
	for k := range keys {
		if !payloadFields[k] {
			return p, nil, refuse("payload is not the model/set JSON (unknown field %q)", k)
		}
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, nil, refuse("payload is not the model/set JSON (%v)", err)
	}
	if string(p.Data) == "null" {
		p.Data = nil
	}
	if p.Signature == "" {
		return p, nil, refuse("unsigned payload (no signature)")
	}
	if p.Version == 0 {
		return p, nil, refuse("payload has no version (a signed number > 0)")
	}
	if p.Rollback {
		if p.URL != "" || p.Data != nil || p.SHA256 != "" {
			return p, nil, refuse("a rollback carries only version and signature")
		}
		return p, nil, nil
	}
	if (p.URL == "") == (p.Data == nil) {
		return p, nil, refuse("payload needs exactly one of url and data")
	}
	if p.Data != nil && (len(p.Data) < 2 || p.Data[0] != '"' || bytes.IndexByte(p.Data, '\\') >= 0) {
		return p, nil, refuse("data is not a base64 string")
	}
	want, err := hex.DecodeString(p.SHA256)
	if err != nil || len(want) != sha256.Size {
		return p, nil, refuse("sha256 is not 64 hex digits")
	}
	return p, want, nil
}

// NewPayload builds the model/set JSON for a model file's bytes, inline
// (url empty) or referenced by url, signed with version.
func NewPayload(model []byte, version uint64, sig, rawURL string) ([]byte, error) {
	sum := sha256.Sum256(model)
	p := Payload{URL: rawURL, SHA256: hex.EncodeToString(sum[:]), Version: version, Signature: strings.TrimSpace(sig)}
	if rawURL == "" {
		p.Data = base64.StdEncoding.EncodeToString(model)
	}
	return json.Marshal(p)
}

// NewRollbackPayload builds the model/set JSON of a rollback command.
func NewRollbackPayload(version uint64, sig string) ([]byte, error) {
	return json.Marshal(Payload{Rollback: true, Version: version, Signature: strings.TrimSpace(sig)})
}
