package questionnaire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// unmarshalNumber decodes exactly one JSON value, keeping numbers as json.Number so that
// they are written back as they came.
func unmarshalNumber(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		// Point at the first byte after the value, not wherever Token stopped.
		for end < int64(len(data)) && strings.IndexByte(" \t\r\n", data[end]) >= 0 {
			end++
		}
		return errTrailing{offset: end}
	}
	return nil
}

type errTrailing struct{ offset int64 }

func (e errTrailing) Error() string { return "unexpected data after the JSON value" }

// jsonSyntaxMessage turns a decoding error into a sentence with a line and column.
func jsonSyntaxMessage(data []byte, err error) string {
	var se *json.SyntaxError
	var tr errTrailing
	switch {
	case errors.As(err, &se):
		// Offset counts the bytes read, the bad one included.
		line, col := lineCol(data, se.Offset-1)
		return fmt.Sprintf("the file is not valid JSON: line %d, column %d: %s", line, col, se.Error())
	case errors.As(err, &tr):
		line, col := lineCol(data, tr.offset)
		return fmt.Sprintf("the file is not valid JSON: line %d, column %d: more data after the end of the JSON value", line, col)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the file is not valid JSON: it ends before the JSON value is complete"
	}
	return "the file is not valid JSON: " + err.Error()
}

// lineCol returns the 1-based line and column of the byte at offset.
func lineCol(data []byte, offset int64) (int, int) {
	offset = max(0, min(offset, int64(len(data))))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// InvalidUTF8 returns the offset of the first byte that is not valid UTF-8, or -1 when
// every byte is: what a refusal of a file that is not text names.
func InvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

func describeAny(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "a value"
	}
	return describeJSON(b)
}
