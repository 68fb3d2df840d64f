package app

// Temporary: keeps the chosen libraries in go.mod while the BB is being written. Delete when they are used.
import (
	_ "github.com/alexedwards/argon2id"
	_ "github.com/go-jose/go-jose/v4"
	_ "github.com/google/uuid"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
)
