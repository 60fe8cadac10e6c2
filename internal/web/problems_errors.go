package web

import (
	"errors"

	"minyi/internal/problem"
)

// problemError is what a user is told about a refused step on a problem: a step the
// problem's status does not allow is 409 with the statuses in Chinese, wrong fields
// 422 by field, a photo too many 409. nil for other errors.
func problemError(err error) *apiError {
	var te *problem.TransitionError
	if errors.As(err, &te) {
		return &apiError{Status: 409, Code: "invalid_transition", Message: te.Message()}
	}
	var ie *problem.InvalidError
	if errors.As(err, &ie) {
		return &apiError{Status: 422, Code: "invalid", Message: "填写内容有误，请检查标红的项目", Fields: ie.Fields}
	}
	if errors.Is(err, problem.ErrTooManyPhotos) {
		return &apiError{Status: 409, Code: "too_many_photos",
			Message: "每个问题最多上传 12 张照片"}
	}
	return nil
}
