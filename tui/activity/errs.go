package activity

import (
	"errors"

	"github.com/jiffy-tui/jiffy/jiraclient"
)

func asJira(err error, je **jiraclient.Error) bool { return errors.As(err, je) }

// errNoClient is the failure when the view has no client (not signed in).
var errNoClient = errors.New("not signed in: sign in first")
