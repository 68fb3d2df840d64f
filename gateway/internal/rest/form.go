package rest

import (
	"errors"
	"io"
	"net/url"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"google.golang.org/protobuf/proto"
)

// MIMEForm is the content type older GovStack clients (the Scheduler's) send request bodies in.
const MIMEForm = "application/x-www-form-urlencoded"

// formBody reads application/x-www-form-urlencoded request bodies into the request message with the same
// rules as query parameters (field names by proto or JSON name, dotted paths, repeated keys for lists),
// so a form POST and a JSON POST of the same fields mean the same thing. Responses are JSON.
type formBody struct{ *stableJSON }

func newFormBody() formBody { return formBody{newStableJSON()} }

func (formBody) NewDecoder(r io.Reader) runtime.Decoder {
	return runtime.DecoderFunc(func(v any) error {
		msg, ok := v.(proto.Message)
		if !ok {
			return errors.New("a form body can only fill a request message")
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		values, err := url.ParseQuery(string(b))
		if err != nil {
			return errors.New("the form body is not valid application/x-www-form-urlencoded: " + err.Error())
		}
		return queryParser{}.Parse(msg, values, utilities.NewDoubleArray(nil))
	})
}
