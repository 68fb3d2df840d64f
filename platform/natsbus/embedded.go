package natsbus

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Embedded is a NATS server with JetStream running inside this process, and a connection to it. It has no
// TCP listener: only this process can reach it, which is what `govstack dev` and tests want.
type Embedded struct {
	Server *server.Server
	Conn   *nats.Conn
}

// StartEmbedded starts a JetStream server storing its data under dataDir and connects to it in-process.
func StartEmbedded(dataDir string, log *slog.Logger) (*Embedded, error) {
	if log == nil {
		log = slog.Default()
	}
	srv, err := server.NewServer(&server.Options{
		ServerName: "govstack-embedded",
		JetStream:  true,
		StoreDir:   dataDir,
		DontListen: true,
		NoSigs:     true, // the host process owns signal handling
		NoLog:      true,
	})
	if err != nil {
		return nil, fmt.Errorf("natsbus: embedded server: %w", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("natsbus: embedded server not ready after 10s")
	}
	nc, err := nats.Connect("", nats.Name("govstack-embedded"), nats.InProcessServer(srv))
	if err != nil {
		srv.Shutdown()
		return nil, fmt.Errorf("natsbus: connect to embedded server: %w", err)
	}
	log.Debug("embedded nats started", "store_dir", dataDir)
	return &Embedded{Server: srv, Conn: nc}, nil
}

// Shutdown drains the connection and stops the server, waiting until JetStream has flushed its files.
func (e *Embedded) Shutdown() {
	_ = Drain(e.Conn, 5*time.Second)
	e.Server.Shutdown()
	e.Server.WaitForShutdown()
}
