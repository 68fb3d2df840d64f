package msglog

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"runtime"
	"sync"
	"time"
)

// encodingVersion starts every canonical encoding, so a future format can never be confused with this one.
const encodingVersion = "govstack-im-msglog/v1"

// canonical is the byte string a record's hash covers: every stored field except the hash and signature,
// each length-prefixed (so no two records share an encoding), times as UTC microseconds (Postgres's
// precision). The chain id and sequence number are inside, so moving a record's content to another place
// breaks its hash, and the previous hash is inside, so records cannot be reordered or dropped unnoticed.
func canonical(r *Record) []byte {
	b := make([]byte, 0, 512+len(r.Body))
	b = appendString(b, encodingVersion)
	b = appendString(b, r.Chain)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Seq))
	for _, s := range []string{string(r.Direction), r.MessageID, r.Client, r.Service, r.Endpoint, r.Method, r.Path} {
		b = appendString(b, s)
	}
	b = appendTime(b, r.Started)
	b = appendTime(b, r.Finished)
	b = binary.BigEndian.AppendUint64(b, uint64(int64(r.Status)))
	b = binary.BigEndian.AppendUint64(b, uint64(r.Size))
	b = appendBytes(b, r.BodySHA)
	b = appendBytes(b, r.Body)
	for _, s := range []string{r.TraceID, r.CorrID, r.Actor, r.Action, r.Target, r.Detail, r.KeyID} {
		b = appendString(b, s)
	}
	b = appendTime(b, r.LoggedAt)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Dropped))
	b = appendBytes(b, r.PrevHash)
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

func appendTime(b []byte, t time.Time) []byte {
	return binary.BigEndian.AppendUint64(b, uint64(t.UnixMicro()))
}

// hashOf is the record's chain hash: SHA-256 of its canonical encoding (which includes the previous hash).
func hashOf(r *Record) []byte {
	h := sha256.Sum256(canonical(r))
	return h[:]
}

// seal normalises the record's times to what Postgres stores, links it to prev and signs it.
func seal(r *Record, chain string, seq int64, prev []byte, key ed25519.PrivateKey, keyID string) {
	link(r, chain, seq, prev, keyID)
	r.Signature = ed25519.Sign(key, r.Hash)
}

// link is seal without the signature: the hash chain must be built in order, the signatures need not.
func link(r *Record, chain string, seq int64, prev []byte, keyID string) {
	r.Chain, r.Seq, r.PrevHash, r.KeyID = chain, seq, prev, keyID
	r.Started = pgTime(r.Started)
	r.Finished = pgTime(r.Finished)
	r.LoggedAt = pgTime(r.LoggedAt)
	r.Hash = hashOf(r)
}

// minParallelSign is the batch size from which signing is spread over the CPUs; below it the goroutines
// cost more than they save.
const minParallelSign = 32

// signAll signs every linked record of batch, on all CPUs for a large batch: signing is ~95 % of the
// writer's CPU time, and each signature depends only on its record's hash.
func signAll(batch []Record, key ed25519.PrivateKey) {
	workers := runtime.GOMAXPROCS(0)
	if len(batch) < minParallelSign || workers == 1 {
		for i := range batch {
			batch[i].Signature = ed25519.Sign(key, batch[i].Hash)
		}
		return
	}
	var wg sync.WaitGroup
	per := (len(batch) + workers - 1) / workers
	for start := 0; start < len(batch); start += per {
		part := batch[start:min(start+per, len(batch))]
		wg.Go(func() {
			for i := range part {
				part[i].Signature = ed25519.Sign(key, part[i].Hash)
			}
		})
	}
	wg.Wait()
}

// pgTime truncates to the microsecond and UTC, as a timestamptz column returns it.
func pgTime(t time.Time) time.Time { return t.Truncate(time.Microsecond).UTC() }

// zeroHash is the previous hash of a chain's first record.
var zeroHash = make([]byte, sha256.Size)
