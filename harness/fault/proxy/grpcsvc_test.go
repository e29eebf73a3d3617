package proxy

import (
	"context"
	"encoding/json"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// A tiny gRPC service with a JSON codec, so no generated code is needed:
// test.Echo/Say (unary) and test.Echo/Count (server streaming).

type jsonCodec struct{}

func (jsonCodec) Marshal(v any) ([]byte, error)   { return json.Marshal(v) }
func (jsonCodec) Unmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
func (jsonCodec) Name() string                    { return "json" }

type echoMsg struct {
	Text string `json:"text"`
	N    int    `json:"n"`
	Fail int    `json:"fail"` // answer with this gRPC code when > 0
	// SleepMS makes the callee slow: it answers after this many ms.
	SleepMS int `json:"sleepMS,omitempty"`
}

func sayHandler(_ any, ctx context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
	var in echoMsg
	if err := dec(&in); err != nil {
		return nil, err
	}
	if in.Fail > 0 {
		return nil, status.Error(codes.Code(in.Fail), "asked to fail")
	}
	time.Sleep(time.Duration(in.SleepMS) * time.Millisecond) // answers even if the caller left

	return &echoMsg{Text: "echo: " + in.Text}, nil
}

func countHandler(_ any, stream grpc.ServerStream) error {
	var in echoMsg
	if err := stream.RecvMsg(&in); err != nil {
		return err
	}
	for i := range in.N {
		if err := stream.SendMsg(&echoMsg{Text: in.Text, N: i}); err != nil {
			return err
		}
	}
	if in.Fail > 0 {
		return status.Error(codes.Code(in.Fail), "failed after stream")
	}
	return nil
}

var echoDesc = grpc.ServiceDesc{
	ServiceName: "test.Echo",
	HandlerType: (*any)(nil),
	Methods:     []grpc.MethodDesc{{MethodName: "Say", Handler: sayHandler}},
	Streams:     []grpc.StreamDesc{{StreamName: "Count", Handler: countHandler, ServerStreams: true}},
}

// startGRPC serves the echo service on a loopback port.
func startGRPC(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := grpc.NewServer(grpc.ForceServerCodec(jsonCodec{}))
	s.RegisterService(&echoDesc, struct{}{})
	go func() { _ = s.Serve(ln) }()
	tb.Cleanup(s.Stop)
	return ln.Addr().String()
}

func dialGRPC(tb testing.TB, addr string) *grpc.ClientConn {
	tb.Helper()
	cc, err := grpc.NewClient("passthrough:///"+addr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(jsonCodec{})))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = cc.Close() })
	return cc
}

func say(ctx context.Context, cc *grpc.ClientConn, in echoMsg) (echoMsg, error) {
	var out echoMsg
	err := cc.Invoke(ctx, "/test.Echo/Say", &in, &out)
	return out, err
}

func count(ctx context.Context, cc *grpc.ClientConn, in echoMsg) ([]echoMsg, error) {
	st, err := cc.NewStream(ctx, &echoDesc.Streams[0], "/test.Echo/Count")
	if err != nil {
		return nil, err
	}
	if err := st.SendMsg(&in); err != nil {
		return nil, err
	}
	if err := st.CloseSend(); err != nil {
		return nil, err
	}
	var out []echoMsg
	for {
		var m echoMsg
		if err := st.RecvMsg(&m); err != nil {
			if err.Error() == "EOF" {
				return out, nil
			}
			return out, err
		}
		out = append(out, m)
	}
}
