package gateway

// PushEndpointPolicy is exported for the tests.
var PushEndpointPolicy = pushEndpointPolicy
