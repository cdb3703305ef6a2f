package scan

import (
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Where a YAML error is: the parser's message names a line that is not always the line at
// fault, so the readers find that line themselves.

// searchBudget bounds the bytes problemLine parses to find a YAML error's line.
const searchBudget = 2 << 20

var yamlLine = regexp.MustCompile(`line (\d+)`)

// splitYAMLError parts the YAML parser's message into its line and its problem.
func splitYAMLError(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimSpace(strings.TrimPrefix(strings.Replace(msg, m[0], "", 1), ":"))
	}
	return line, msg
}

// problemLine finds the line a YAML error is on. For a parser error (a missing key or
// ':'), the parser names the line before the block the error is in, counted from 0, not
// the line at fault, and that block can be the whole file. A prefix of the file cut at a
// line end fails the same way once it holds the line at fault, and almost never before
// (cutting a block between lines leaves valid YAML), so a binary search over prefixes
// finds that line in about twenty parses. The search parses at most searchBudget bytes
// in all, which covers any real manifest (tens of KB) and keeps a hostile megabyte to a
// second; when the budget runs out, or no prefix fails the same way, the parser's line
// stands.
func problemLine(data []byte, reported int, problem string) int {
	budget := searchBudget
	ends := []int{}
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	fails := func(n int) bool {
		budget -= ends[n-1]
		var doc yaml.Node
		err := yaml.Unmarshal(data[:ends[n-1]], &doc)
		if err == nil {
			return false
		}
		_, msg := splitYAMLError(err)
		return msg == problem
	}
	lo, hi := max(reported, 1), len(ends)
	if lo > hi || !fails(hi) {
		return reported
	}
	for lo < hi {
		if budget <= 0 {
			return reported
		}
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
