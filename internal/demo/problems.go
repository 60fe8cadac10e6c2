package demo

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"slices"
	"time"

	"minyi/internal/area"
	"minyi/internal/problem"
	"minyi/internal/store"
)

// demoProblemTexts are what residents and inspectors typically report, by category.
var demoProblemTexts = map[string][]string{
	"环境卫生":        {"小区东门垃圾桶满溢，清运不及时", "3号楼楼道堆放杂物，存在卫生死角", "菜市场后巷污水横流"},
	"车辆乱停放、停车难":   {"电动车占用消防通道停放", "小区门口车辆乱停，早晚高峰堵塞", "人行道被机动车占用"},
	"占道经营":        {"路口早餐摊占道经营", "水果摊占用盲道"},
	"乱贴小广告":       {"单元门口小广告反复张贴", "电线杆上小广告较多"},
	"不文明养犬":       {"遛狗不牵绳，粪便未清理"},
	"道路路灯等设施破损":   {"小区北侧路灯不亮", "人行道地砖破损，雨天积水"},
	"飞线充电、消防通道堵塞": {"5号楼有居民飞线充电", "消防通道被杂物堵塞"},
	"物业管理":        {"物业对绿化维护不及时", "电梯经常故障，维修慢"},
}

// ProblemOptions says what demo problems to make.
type ProblemOptions struct {
	N    int
	Seed uint64
	Now  time.Time
	Loc  *time.Location
	// Raisers are the users the problems are raised and worked by (ids and names);
	// a nil id leaves the steps without a user.
	Raisers []Raiser
}

// Raiser is who raises and works a demo problem.
type Raiser struct {
	ID   *int64
	Name string
}

// Problems stores opts.N demo problems across the in-scope communities, in every
// state of the loop: open, assigned (some overdue), rectified, closed on time or late
// (with call backs), and reopened, raised over the last five weeks, each through the
// store's own steps with backdated times. Returns how many it stored.
func Problems(ctx context.Context, st *store.Store, opts ProblemOptions) (int, error) {
	if opts.N <= 0 {
		return 0, errors.New("the number of problems must be positive")
	}
	if len(opts.Raisers) == 0 {
		opts.Raisers = []Raiser{{Name: "demo"}}
	}
	tree, err := st.Subtree(ctx, "")
	if err != nil {
		return 0, err
	}
	units := slices.DeleteFunc(tree, func(a area.Area) bool { return !a.IsCommunity() || !a.InScope })
	if len(units) == 0 {
		return 0, errors.New("no community to put demo problems in: run minyi demo setup first")
	}
	cats := make([]string, 0, len(demoProblemTexts))
	for c := range demoProblemTexts {
		cats = append(cats, c)
	}
	slices.Sort(cats)
	r := rand.New(rand.NewPCG(opts.Seed, 7))
	for i := range opts.N {
		a := units[r.IntN(len(units))]
		cat := cats[r.IntN(len(cats))]
		who := opts.Raisers[i%len(opts.Raisers)]
		raised := opts.Now.Add(-time.Duration(r.IntN(35*24)+2) * time.Hour)
		src := []problem.Source{problem.FromSuggestion, problem.FromInspection, problem.FromHotline, problem.FromChecklist}[r.IntN(4)]
		id, err := st.CreateProblem(ctx, store.NewProblem{New: problem.New{Category: cat, Source: src,
			Description: demoProblemTexts[cat][r.IntN(len(demoProblemTexts[cat]))]}, AreaID: a.ID,
			UserID: who.ID, Username: who.Name, At: raised, Demo: true})
		if err != nil {
			return i, err
		}
		// How far it got: a fifth stays open, the rest are assigned the day after.
		stage := r.IntN(10)
		if stage < 2 {
			continue
		}
		at := raised.Add(20 * time.Hour)
		due := problem.Day(at, opts.Loc).AddDate(0, 0, 3+r.IntN(8))
		step := func(s store.Step, at time.Time) error {
			s.UserID, s.Username, s.At = who.ID, who.Name, at
			_, _, err := st.TakeStep(ctx, id, s)
			return err
		}
		if err := step(store.Step{Action: problem.Assign, UnitID: a.ID, Due: due, Note: a.Name}, at); err != nil {
			return i, err
		}
		// Work takes 1 to 12 days; what is not done by now stays assigned (some overdue).
		done := at.Add(time.Duration(24+r.IntN(11*24)) * time.Hour)
		if stage < 4 || done.After(opts.Now) {
			continue
		}
		if err := step(store.Step{Action: problem.Photo, Photo: demoPhoto(r)}, done); err != nil {
			return i, err
		}
		if err := step(store.Step{Action: problem.Rectify, Note: "已安排人员处理完毕"}, done); err != nil {
			return i, err
		}
		closed := done.Add(time.Duration(2+r.IntN(40)) * time.Hour)
		if stage < 6 || closed.After(opts.Now) {
			continue
		}
		yes := r.IntN(5) > 0
		contacted := r.IntN(4) > 0
		closing := problem.Closing{PublicNote: demoPublicNote(cat), Note: "现场核验已整改", Contacted: contacted}
		if contacted {
			closing.Satisfied = &yes
		}
		if err := step(store.Step{Action: problem.Close, Closing: closing}, closed); err != nil {
			return i, err
		}
		if stage == 9 && closed.Add(48*time.Hour).Before(opts.Now) {
			if err := step(store.Step{Action: problem.Reopen, Note: "群众反映问题反复"}, closed.Add(48*time.Hour)); err != nil {
				return i, err
			}
		}
	}
	return opts.N, nil
}

func demoPublicNote(category string) string {
	return category + "问题已整改完毕，将纳入日常巡查"
}

// demoPhoto is a small plain image standing in for a photo of the work.
func demoPhoto(r *rand.Rand) *store.Photo {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	c := color.RGBA{uint8(120 + r.IntN(100)), uint8(140 + r.IntN(80)), uint8(100 + r.IntN(100)), 255}
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return &store.Photo{Type: "image/png", Width: 64, Height: 48, Data: b.Bytes()}
}
