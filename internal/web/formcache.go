package web

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"hash/crc32"
	"strconv"
	"sync"
)

// formCache keeps the resident form rendered and compressed once: a poster campaign
// opens the same page thousands of times, and a city opens it in thousands of
// communities. The questions, most of the page, are rendered and deflated once per
// survey version; the part before them (title, community name, the form's action) once
// per area; only the hidden fields at the very end (client id, start time, form token)
// differ between views. The gzip reply is the area's part and the questions, each
// deflated on its own and ended with a sync flush, followed per view by the end in a
// stored block and a trailer whose CRC is carried on from the parts before it.
type formCache struct {
	questions *lru[string, *cachedQuestions]
	pages     *lru[string, *cachedForm]
}

// cachedQuestions is the questions of one survey version.
type cachedQuestions struct {
	html     []byte
	deflated []byte // raw deflate, sync-flushed: more blocks may follow
}

// cachedForm is the page of one area.
type cachedForm struct {
	head      []byte // the page up to the questions
	questions *cachedQuestions
	gzHead    []byte    // gzip header and head, deflated and sync-flushed
	crc       uint32    // CRC-32 of head and questions
	tail      [4][]byte // the rest, split around the client id, the start time and the token
}

// Placeholders rendered into the cached page where the questions and the per-view
// values go.
const (
	questionsMark = "minyi-questions-placeholder-7f3e"
	clientIDMark  = "minyi-client-id-placeholder-7f3e"
	startedMark   = "minyi-started-at-placeholder-7f3e"
	tokenMark     = "minyi-form-token-placeholder-7f3e"
)

// formCacheBytes bounds the memory of the cached pages (~3 KiB per area for the default
// questionnaire, so some 20,000 communities): past it the least recently opened go
// first. The questions of survey versions have a bound of their own.
const (
	formCacheBytes      = 64 << 20
	questionsCacheBytes = 16 << 20
)

func newFormCache() *formCache {
	return &formCache{
		questions: newLRU[string](questionsCacheBytes, func(q *cachedQuestions) int64 { return int64(len(q.html) + len(q.deflated) + 64) }),
		pages:     newLRU[string](formCacheBytes, (*cachedForm).size),
	}
}

// size is about what cf keeps in memory of its own (its questions are shared).
func (cf *cachedForm) size() int64 {
	return int64(len(cf.head) + len(cf.gzHead) + len(cf.tail[0]) + len(cf.tail[1]) + len(cf.tail[2]) + len(cf.tail[3]) + 256)
}

func questionsKey(p *formPage) string { return p.Survey.ID + "@" + strconv.Itoa(p.Survey.Version) }

func formKey(p *formPage) string {
	return questionsKey(p) + "/" + p.Area.Code + "/" + p.Area.Name + "/" + strconv.FormatBool(p.Area.InScope)
}

// formRender renders template name ("form.html" or "form-sections") for p; it builds
// p.Sections itself, only when the questions are rendered.
type formRender func(name string, p *formPage) ([]byte, error)

// page returns the form for p with p's client id, start time and token, gzipped when gz is
// set, rendering what is not cached yet with render.
func (fc *formCache) page(p *formPage, gz bool, render formRender) ([]byte, error) {
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
	q := cf.questions
	if !gz {
		out := make([]byte, 0, len(cf.head)+len(q.html)+len(tail))
		return append(append(append(out, cf.head...), q.html...), tail...), nil
	}
	// The end goes in one stored (uncompressed) final block: it is a few hundred bytes,
	// and copying them costs less than setting up a compressor.
	out := make([]byte, 0, len(cf.gzHead)+len(q.deflated)+len(tail)+16)
	out = append(append(out, cf.gzHead...), q.deflated...)
	out = append(out, 0x01) // BFINAL=1, BTYPE=00 (stored), padded to the byte
	out = binary.LittleEndian.AppendUint16(out, uint16(len(tail)))
	out = binary.LittleEndian.AppendUint16(out, ^uint16(len(tail)))
	out = append(out, tail...)
	out = binary.LittleEndian.AppendUint32(out, crc32.Update(cf.crc, crc32.IEEETable, tail))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(cf.head)+len(q.html)+len(tail)))
	return out, nil
}

// build renders and compresses the page of p's area around its survey's questions.
func (fc *formCache) build(p *formPage, render formRender) (*cachedForm, error) {
	q, err := fc.questionsOf(p, render)
	if err != nil {
		return nil, err
	}
	blank := *p
	blank.SectionsMark, blank.Sections = questionsMark, nil
	blank.ClientID, blank.Started, blank.Token = clientIDMark, startedMark, tokenMark
	html, err := render("form.html", &blank)
	if err != nil {
		return nil, err
	}
	head, rest, ok := bytes.Cut(html, []byte(questionsMark))
	if !ok {
		return nil, errNoPlaceholder
	}
	cf := &cachedForm{head: head, questions: q}
	a, rest, ok := bytes.Cut(rest, []byte(clientIDMark))
	if !ok {
		return nil, errNoPlaceholder
	}
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
	cf.crc = crc32.Update(crc32.ChecksumIEEE(head), crc32.IEEETable, q.html)
	var buf bytes.Buffer
	zw := headWriters.Get().(*gzip.Writer)
	defer headWriters.Put(zw)
	zw.Reset(&buf)
	zw.Write(head)
	zw.Flush() // ends on a byte boundary with a non-final block: more blocks may follow
	cf.gzHead = buf.Bytes()
	return cf, nil
}

// headWriters compress areas' heads: a compressor is costly to set up, cheap to reset.
var headWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
	return zw
}}

// questionsOf returns the questions of p's survey version, rendering and deflating
// them the first time.
func (fc *formCache) questionsOf(p *formPage, render formRender) (*cachedQuestions, error) {
	key := questionsKey(p)
	if q, ok := fc.questions.get(key); ok {
		return q, nil
	}
	blank := *p
	html, err := render("form-sections", &blank)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write(html)
	fw.Flush()
	q := &cachedQuestions{html: html, deflated: buf.Bytes()}
	fc.questions.put(key, q)
	return q, nil
}

var errNoPlaceholder = newError(500, "internal", "服务器内部错误，请稍后再试")
