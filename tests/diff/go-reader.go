// go-reader - how runc reads config.json: each document of a batch decoded
// exactly as runc's loadSpec does (json.NewDecoder(f).Decode into the
// runtime-spec Go types, built from the same Debian Go packages as runc), and
// printed in the canonical form that nsg-reader.c prints nsguard's reading in.
//
// Input (a file or stdin): documents as "<decimal length>\n<bytes>", one after
// another. Output: one line per document, "<index>\t<reading>" or
// "<index>\terror\t<Go's error>". The reading names, in a fixed order, each
// namespace type as private, joined:"path" or inherited, then the uid and
// gid mappings in file order and the annotations sorted by key. Every byte
// outside printable ASCII, and '"' and '\', is written as \xNN.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// The namespace types in the order both readers print them.
var nsTypes = []string{"mount", "network", "pid", "ipc", "uts", "user", "cgroup", "time"}

func esc(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > 0x20 && c < 0x7f && c != '"' && c != '\\' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(b, "\\x%02x", c)
		}
	}
	b.WriteByte('"')
}

func idmaps(b *strings.Builder, name string, maps []specs.LinuxIDMapping) {
	fmt.Fprintf(b, " %s=[", name)
	for i, m := range maps {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(b, "%d:%d:%d", m.ContainerID, m.HostID, m.Size)
	}
	b.WriteByte(']')
}

func reading(doc []byte) string {
	var spec specs.Spec
	var b strings.Builder

	if err := json.NewDecoder(bytes.NewReader(doc)).Decode(&spec); err != nil {
		b.WriteString("error\t")
		esc(&b, err.Error())
		return b.String()
	}
	var namespaces []specs.LinuxNamespace
	var uid, gid []specs.LinuxIDMapping
	if spec.Linux != nil {
		b.WriteString("linux")
		namespaces = spec.Linux.Namespaces
		uid, gid = spec.Linux.UIDMappings, spec.Linux.GIDMappings
	} else {
		b.WriteString("-")
	}
	for _, t := range nsTypes {
		var found []specs.LinuxNamespace
		for _, ns := range namespaces {
			if string(ns.Type) == t {
				found = append(found, ns)
			}
		}
		fmt.Fprintf(&b, " %s=", t)
		switch {
		case len(found) > 1:
			fmt.Fprintf(&b, "%d-entries", len(found))
		case len(found) == 0:
			b.WriteString("inherited")
		case found[0].Path == "":
			b.WriteString("private")
		default:
			b.WriteString("joined:")
			esc(&b, found[0].Path)
		}
	}
	// runc refuses a type it does not know; nsguard refuses it earlier. Any
	// such entry makes the readings differ.
	for _, ns := range namespaces {
		known := false
		for _, t := range nsTypes {
			known = known || string(ns.Type) == t
		}
		if !known {
			b.WriteString(" unknown-type=")
			esc(&b, string(ns.Type))
		}
	}
	idmaps(&b, "uid", uid)
	idmaps(&b, "gid", gid)
	keys := make([]string, 0, len(spec.Annotations))
	for k := range spec.Annotations {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b.WriteString(" annotations={")
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		esc(&b, k)
		b.WriteByte('=')
		esc(&b, spec.Annotations[k])
	}
	b.WriteByte('}')
	return b.String()
}

func main() {
	in := io.Reader(os.Stdin)
	if len(os.Args) > 1 {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "go-reader:", err)
			os.Exit(2)
		}
		defer f.Close()
		in = f
	}
	r := bufio.NewReaderSize(in, 1<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for i := 0; ; i++ {
		line, err := r.ReadString('\n')
		if err == io.EOF && line == "" {
			return
		}
		n, perr := strconv.Atoi(strings.TrimSuffix(line, "\n"))
		if err != nil || perr != nil || n < 0 {
			fmt.Fprintf(os.Stderr, "go-reader: document %d: bad length line %q\n", i, line)
			os.Exit(2)
		}
		doc := make([]byte, n)
		if _, err := io.ReadFull(r, doc); err != nil {
			fmt.Fprintf(os.Stderr, "go-reader: document %d: %v\n", i, err)
			os.Exit(2)
		}
		fmt.Fprintf(w, "%d\t%s\n", i, reading(doc))
	}
}
