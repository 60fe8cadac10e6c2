package intake

import (
	"context"
	"strings"

	"minyi/internal/account"
	"minyi/internal/area"
	"minyi/internal/survey"
)

// MayEnter decides whether a signed-in user may enter answers (or record visits) for
// the area: admins anywhere, officials within their jurisdiction (elsewhere the area
// is survey.ErrNotFound to them, as if it did not exist), volunteers where they hold
// an assignment valid today (an assignment covers its area's whole subtree);
// otherwise ErrNotAssigned.
func (in *Intake) MayEnter(ctx context.Context, who *Entrant, a area.Area) error {
	switch who.Role {
	case account.Admin:
		return nil
	case account.Official:
		if who.AreaPath != "" && strings.HasPrefix(a.Path, who.AreaPath) {
			return nil
		}
		return survey.ErrNotFound
	case account.Volunteer:
		ok, err := in.store.Assigned(ctx, who.ID, a.Path, in.today())
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
	}
	return ErrNotAssigned
}
