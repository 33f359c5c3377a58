// Package modelupdate installs new models sent over MQTT. It verifies the
// payload's ed25519 signature (made by `trainer sign`) over the claimed
// SHA-256 and a monotonically increasing version against the trap's public
// key before it fetches or reads anything, refuses replays and downgrades,
// streams the file (https or a path under one directory) with a size cap
// into a candidate next to the active model while hashing it, loads and
// self-tests it under a time limit and only then swaps it in, keeping the
// previous model on disk. A signed rollback command restores the previous
// model. Unsigned, tampered, replayed or broken updates are refused and
// counted.
package modelupdate

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// signContext and rollbackContext prefix the signed bytes so a trapnet
// signature cannot be replayed as a signature of anything else. Version 2
// signs the claimed SHA-256 together with the update's version, so the
// agent can check both before it fetches or reads anything.
const (
	signContext     = "trapnet model v2\x00"
	rollbackContext = "trapnet rollback v2\x00"
)

func signedMessage(sum []byte, version uint64) []byte {
	msg := append([]byte(signContext), sum...)
	return binary.BigEndian.AppendUint64(msg, version)
}

func rollbackMessage(version uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(rollbackContext), version)
}

// Sign returns the base64 ed25519 signature of a model file's SHA-256 and
// the update version (which must be higher than every version the trap
// accepted before).
func Sign(priv ed25519.PrivateKey, model []byte, version uint64) string {
	sum := sha256.Sum256(model)
	return base64.StdEncoding.EncodeToString(ed25519.Sign(priv, signedMessage(sum[:], version)))
}

// SignRollback returns the base64 signature of a rollback command with the
// given version.
func SignRollback(priv ed25519.PrivateKey, version uint64) string {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(priv, rollbackMessage(version)))
}

// Verify checks a base64 signature made by Sign over a claimed digest and
// version. It needs no model bytes: the agent verifies before fetching.
func Verify(pub ed25519.PublicKey, sum []byte, version uint64, sig string) error {
	return verifyMessage(pub, signedMessage(sum, version), sig)
}

// VerifyRollback checks a signature made by SignRollback.
func VerifyRollback(pub ed25519.PublicKey, version uint64, sig string) error {
	return verifyMessage(pub, rollbackMessage(version), sig)
}

func verifyMessage(pub ed25519.PublicKey, msg []byte, sig string) error {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
	if err != nil {
		return errors.New("signature is not base64")
	}
	if len(raw) != ed25519.SignatureSize {
		return fmt.Errorf("signature has %d bytes, want %d", len(raw), ed25519.SignatureSize)
	}
	if !ed25519.Verify(pub, msg, raw) {
		return errors.New("signature does not match the payload's sha256 and version and the trap's public key")
	}
	return nil
}

// GenerateKey returns a new key pair as PEM (PKCS#8 private, PKIX public).
func GenerateKey() (privPEM, pubPEM []byte, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	p8, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, err
	}
	px, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: px}), nil
}

// ParsePrivateKey reads a PEM PKCS#8 ed25519 private key.
func ParsePrivateKey(data []byte) (ed25519.PrivateKey, error) {
	blk, _ := pem.Decode(data)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, errors.New("not a PEM \"PRIVATE KEY\" block")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("private key is %T, want ed25519", k)
	}
	return priv, nil
}

// ParsePublicKey reads a PEM PKIX ed25519 public key.
func ParsePublicKey(data []byte) (ed25519.PublicKey, error) {
	blk, _ := pem.Decode(data)
	if blk == nil || blk.Type != "PUBLIC KEY" {
		return nil, errors.New("not a PEM \"PUBLIC KEY\" block")
	}
	k, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("public key is %T, want ed25519", k)
	}
	return pub, nil
}

// LoadPublicKey reads a public key file.
func LoadPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("model public key: %w", err)
	}
	k, err := ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("model public key %s: %w", path, err)
	}
	return k, nil
}

// LoadPrivateKey reads a private key file.
func LoadPrivateKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	k, err := ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	return k, nil
}
