package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/big"
)

// Token prefixes tell user and admin tokens apart at a glance (and in leak
// scanners); the rest is 256 random bits.
const (
	UserTokenPrefix  = "gxu_"
	AdminTokenPrefix = "gxa_"
)

// NewToken returns a fresh bearer token with prefix and the hash to store.
func NewToken(prefix string) (token string, hash []byte) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, HashToken(token)
}

// HashToken is how tokens are stored and looked up: never in clear.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// newCode returns a uniformly random 6-digit code.
func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// codeHash binds a code to its challenge, so equal codes of two challenges
// hash differently.
func codeHash(challengeID, code string) []byte {
	sum := sha256.Sum256([]byte(challengeID + ":" + code))
	return sum[:]
}
