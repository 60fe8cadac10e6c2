package web

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"hash/crc32"
	"strconv"
)

// formCache keeps the resident form rendered and compressed once per survey version and
// area: a poster campaign opens the same page thousands of times, and only the three
// hidden fields at its very end (client id, start time, form token) differ between
// views. The gzip reply is the
// compressed common part, ended with a sync flush, followed per view by the end in a
// stored block and a trailer whose CRC is carried on from the common part's.
type formCache struct {
	pages *lru[string, *cachedForm]
}

type cachedForm struct {
	head   []byte    // the page up to the per-view fields
	gzHead []byte    // gzip header and head, deflated and sync-flushed
	crc    uint32    // CRC-32 of head
	tail   [4][]byte // the rest, split around the client id, the start time and the token
}

// Placeholders rendered into the cached page where the per-view values go.
const (
	clientIDMark = "minyi-client-id-placeholder-7f3e"
	startedMark  = "minyi-started-at-placeholder-7f3e"
	tokenMark    = "minyi-form-token-placeholder-7f3e"
)

// formCacheBytes bounds the memory of the cached pages (~24 KiB each for the default
// questionnaire, so some 2,700 forms): past it the least recently opened go first.
const formCacheBytes = 64 << 20

func newFormCache() *formCache {
	return &formCache{pages: newLRU[string](formCacheBytes, (*cachedForm).size)}
}

// size is about what cf keeps in memory.
func (cf *cachedForm) size() int64 {
	return int64(len(cf.head) + len(cf.gzHead) + len(cf.tail[0]) + len(cf.tail[1]) + len(cf.tail[2]) + 256)
}

func formKey(p *formPage) string {
	return p.Survey.ID + "@" + strconv.Itoa(p.Survey.Version) + "/" + p.Area.Code + "/" + p.Area.Name +
		"/" + strconv.FormatBool(p.Area.InScope)
}

// page returns the form for p with p's client id, start time and token, gzipped when gz is
// set, rendering it with render only the first time.
func (fc *formCache) page(p *formPage, gz bool, render func(*formPage) ([]byte, error)) ([]byte, error) {
	key := formKey(p)
	cf, ok := fc.pages.get(key)
	if !ok {
		var err error
		if cf, err = fc.build(p, render); err != nil {
			return nil, err
		}
		fc.pages.put(key, cf)
	}
	tail := make([]byte, 0, len(cf.tail[0])+len(cf.tail[1])+len(cf.tail[2])+len(cf.tail[3])+128)
	tail = append(append(append(append(tail, cf.tail[0]...), p.ClientID...), cf.tail[1]...), p.Started...)
	tail = append(append(append(tail, cf.tail[2]...), p.Token...), cf.tail[3]...)
	if !gz {
		return append(append(make([]byte, 0, len(cf.head)+len(tail)), cf.head...), tail...), nil
	}
	// The end goes in one stored (uncompressed) final block: it is a few hundred bytes,
	// and copying them costs less than setting up a compressor.
	out := make([]byte, 0, len(cf.gzHead)+len(tail)+16)
	out = append(out, cf.gzHead...)
	out = append(out, 0x01) // BFINAL=1, BTYPE=00 (stored), padded to the byte
	out = binary.LittleEndian.AppendUint16(out, uint16(len(tail)))
	out = binary.LittleEndian.AppendUint16(out, ^uint16(len(tail)))
	out = append(out, tail...)
	out = binary.LittleEndian.AppendUint32(out, crc32.Update(cf.crc, crc32.IEEETable, tail))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(cf.head)+len(tail)))
	return out, nil
}

func (fc *formCache) build(p *formPage, render func(*formPage) ([]byte, error)) (*cachedForm, error) {
	blank := *p
	blank.ClientID, blank.Started, blank.Token = clientIDMark, startedMark, tokenMark
	html, err := render(&blank)
	if err != nil {
		return nil, err
	}
	cut := bytes.Index(html, []byte(clientIDMark))
	if cut < 0 {
		return nil, errNoPlaceholder
	}
	// The common part ends where the line holding the first per-view field starts.
	cut = bytes.LastIndexByte(html[:cut], '\n') + 1
	cf := &cachedForm{head: html[:cut], crc: crc32.ChecksumIEEE(html[:cut])}
	a, rest, _ := bytes.Cut(html[cut:], []byte(clientIDMark))
	b, rest, ok := bytes.Cut(rest, []byte(startedMark))
	if !ok {
		return nil, errNoPlaceholder
	}
	c, d, ok := bytes.Cut(rest, []byte(tokenMark))
	if !ok {
		return nil, errNoPlaceholder
	}
	cf.tail = [4][]byte{a, b, c, d}
	if len(a)+len(b)+len(c)+len(d)+len(clientIDMark)+len(startedMark)+len(tokenMark) > 16<<10 {
		return nil, errNoPlaceholder // a stored block holds at most 64 KiB; the end must stay small
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(cf.head)
	zw.Flush() // ends on a byte boundary with a non-final block: more blocks may follow
	cf.gzHead = buf.Bytes()
	return cf, nil
}

var errNoPlaceholder = newError(500, "internal", "服务器内部错误，请稍后再试")
