package store

import (
	"hash/fnv"
	"slices"
	"strings"
)

// pieces are the keys a suggestion is found by: one per distinct two-character piece
// of its text, lowercased, hashed to 32 bits. A text holding a word holds every piece
// of the word, so the texts whose pieces contain the word's are the only ones a search
// must read; a key two pieces share only costs that search a text it then discards.
// A word of one character has no pieces: its search reads every text in scope.
func pieces(text string) []int32 {
	runes := []rune(strings.ToLower(text))
	if len(runes) < 2 {
		return []int32{}
	}
	out := make([]int32, 0, len(runes)-1)
	h := fnv.New32a()
	for i := 0; i+1 < len(runes); i++ {
		h.Reset()
		h.Write([]byte(string(runes[i : i+2])))
		out = append(out, int32(h.Sum32()))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
