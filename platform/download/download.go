// Package download names the file a building block answers as raw bytes (google.api.HttpBody): the answer's
// gRPC header carries it, the gateway passes it on as Content-Disposition, and a browser or an integrator's
// client saves the file under its own name rather than the last segment of the URL.
package download

import (
	"context"
	"mime"
	"path"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// MetadataKey is the gRPC header that carries the file name, as a Content-Disposition value.
const MetadataKey = "content-disposition"

// Disposition is the Content-Disposition value of an attachment named name (its last path element; a
// name outside ASCII is written as RFC 2231's filename*, which every current browser reads).
func Disposition(name string) string {
	name = path.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	if name == "." || name == "/" {
		return "attachment"
	}
	return mime.FormatMediaType("attachment", map[string]string{"filename": name})
}

// Name sets the answer's file name. Outside a gRPC call (a test calling a handler) there is no header to
// set, and nothing happens.
func Name(ctx context.Context, name string) {
	_ = grpc.SetHeader(ctx, metadata.Pairs(MetadataKey, Disposition(name)))
}

// NameOf reads the file name from the header of a building block's answer; "" when it gave none.
func NameOf(md metadata.MD) string {
	v := md.Get(MetadataKey)
	if len(v) == 0 {
		return ""
	}
	_, params, err := mime.ParseMediaType(v[0])
	if err != nil {
		return ""
	}
	return params["filename"]
}
