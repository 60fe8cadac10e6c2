package intake

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// tokenPurpose separates form tokens from every other use of the server's secret.
const tokenPurpose = "form-token"

// FormToken returns a new token for one view of the form of a survey and area, shown
// to the device with the given identity: its issue time, a random nonce and a keyed
// hash over both and what it is bound to. It is good for one response, from that
// device, for that form, for the configured lifetime.
func (in *Intake) FormToken(surveyID, areaCode, identity string) string {
	var b [12]byte
	rand.Read(b[:])
	issued := strconv.FormatInt(in.now().Unix(), 36)
	nonce := base64.RawURLEncoding.EncodeToString(b[:])
	return issued + "." + nonce + "." + in.key.Sum(tokenPurpose, tokenValue(surveyID, areaCode, identity, issued, nonce))
}

func tokenValue(surveyID, areaCode, identity, issued, nonce string) string {
	return surveyID + "\x00" + areaCode + "\x00" + identity + "\x00" + issued + "\x00" + nonce
}

// maxTokenLen bounds what is looked at.
const maxTokenLen = 128

// checkToken verifies a token for the form of a survey and area and the device's
// identity, and returns its nonce and when it was issued. ErrFormToken when it is
// missing, forged, bound to something else, from the future or expired.
func (in *Intake) checkToken(token, surveyID, areaCode, identity string, now time.Time) (nonce string, issued time.Time, err error) {
	if token == "" || len(token) > maxTokenLen || identity == "" {
		return "", time.Time{}, ErrFormToken
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", time.Time{}, ErrFormToken
	}
	if !in.key.Verify(tokenPurpose, tokenValue(surveyID, areaCode, identity, parts[0], parts[1]), parts[2]) {
		return "", time.Time{}, ErrFormToken
	}
	secs, err := strconv.ParseInt(parts[0], 36, 64)
	if err != nil {
		return "", time.Time{}, ErrFormToken
	}
	issued = time.Unix(secs, 0)
	if issued.After(now.Add(time.Minute)) || now.Sub(issued) > in.flags.FormTokenTTL {
		return "", time.Time{}, ErrFormToken
	}
	return parts[1], issued, nil
}
