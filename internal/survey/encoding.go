package survey

import (
	"bytes"
	"encoding/json"
	"encoding/json/jsontext"
	"errors"
	"slices"
)

// Submitted is the answers object of a submission as a client sent it, before Check:
// question id → string, array, or any other JSON value. It decodes the strings and
// arrays of strings that answers are made of token by token, without reflection; every
// submission passes through here. Any other value decodes as encoding/json would.
type Submitted map[string]any

var errNotObject = errors.New("answers must be a JSON object")

// UnmarshalJSON implements json.Unmarshaler. As with encoding/json into a map, the
// last of duplicate question ids wins.
func (a *Submitted) UnmarshalJSON(b []byte) error {
	dec := jsontext.NewDecoder(bytes.NewReader(b), jsontext.AllowDuplicateNames(true))
	if err := a.UnmarshalJSONFrom(dec); err != nil {
		return err
	}
	if dec.PeekKind() != 0 {
		return errors.New("answers: data after the object")
	}
	return nil
}

// UnmarshalJSONFrom implements encoding/json/v2's UnmarshalerFrom, which encoding/json
// uses too: the answers are read once, from the request's own decoder.
func (a *Submitted) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	tok, err := dec.ReadToken()
	switch {
	case err != nil:
		return err
	case tok.Kind() == 'n':
		*a = nil
		return nil
	case tok.Kind() != '{':
		return errNotObject
	}
	m := Submitted{}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		id := tok.String() // a token is good until the next read
		if m[id], err = decodeValue(dec); err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*a = m
	return nil
}

// decodeValue reads one value: a string, an array (of strings, or of anything), or
// any other value through encoding/json.
func decodeValue(dec *jsontext.Decoder) (any, error) {
	switch dec.PeekKind() {
	case '"':
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		return tok.String(), nil
	case '[':
		if _, err := dec.ReadToken(); err != nil {
			return nil, err
		}
		list := []any{}
		for dec.PeekKind() != ']' {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		_, err := dec.ReadToken()
		return list, err
	default:
		raw, err := dec.ReadValue()
		if err != nil {
			return nil, err
		}
		var v any
		return v, json.Unmarshal(raw, &v)
	}
}

// Encode returns the answers as stored: a JSON object with the question ids in order,
// byte for byte what encoding/json makes of them (content hashes depend on it). The
// strings and lists of strings that Check returns are written token by token.
func (a Answers) Encode() []byte {
	ids := make([]string, 0, len(a))
	for id := range a {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var buf bytes.Buffer
	// Escaped as encoding/json does; the ids are a map's keys, so the encoder need not
	// look for duplicates.
	enc := jsontext.NewEncoder(&buf, jsontext.EscapeForHTML(true), jsontext.EscapeForJS(true),
		jsontext.AllowDuplicateNames(true))
	write := func(t jsontext.Token) bool { return enc.WriteToken(t) == nil }
	ok := write(jsontext.BeginObject)
	for _, id := range ids {
		ok = ok && write(jsontext.String(id))
		switch v := a[id].(type) {
		case string:
			ok = ok && write(jsontext.String(v))
		case []string:
			ok = ok && write(jsontext.BeginArray)
			for _, s := range v {
				ok = ok && write(jsontext.String(s))
			}
			ok = ok && write(jsontext.EndArray)
		default:
			ok = false
		}
		if !ok {
			break
		}
	}
	if !ok || !write(jsontext.EndObject) {
		body, _ := json.Marshal(map[string]any(a)) // map keys are sorted by encoding/json
		return body
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
