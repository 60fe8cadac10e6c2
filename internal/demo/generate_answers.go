package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"minyi/internal/area"
	"minyi/internal/survey"
)

// profile is how one community answers: the chance of a positive answer to an
// indicator question, its weakest topic and the problems its residents name.
type profile struct {
	area     area.Area
	quality  float64
	weight   float64 // its share of the responses
	small    bool    // gets too few responses to be ranked
	weakSpot int     // which topic indicator it does badly on, modulo their number
	problems []int   // option indexes the residents' problem checklist favours
}

// newProfiles draws a profile per community. About one in four does clearly worse
// than the 95% targets; about one in five gets too few responses to rank.
func newProfiles(rng *rand.Rand, units []area.Area) []profile {
	out := make([]profile, len(units))
	smalls := max(1, len(units)/5)
	order := rng.Perm(len(units))
	for i, a := range units {
		p := profile{area: a, quality: 0.93 + 0.065*rng.Float64(), weight: 0.6 + 0.8*rng.Float64(),
			weakSpot: rng.IntN(64), problems: []int{rng.IntN(16), rng.IntN(16)}}
		if rng.Float64() < 0.25 {
			p.quality = 0.78 + 0.1*rng.Float64()
		}
		p.small = slices.Index(order, i) < smalls && len(units) > 2
		out[i] = p
	}
	return out
}

// Offsets of the chance of a positive answer by kind of indicator: nearly everyone
// has heard of the campaign, fewer take part in it.
var kindOffset = map[survey.Kind]float64{
	survey.Awareness:     0.04,
	survey.Support:       0.03,
	survey.Satisfaction:  0,
	survey.Participation: -0.03,
	survey.Topic:         -0.02,
}

// answers draws one respondent's raw answers to every question of def, as a
// submission carries them.
func answers(rng *rand.Rand, def *survey.Definition, p profile, lift float64, channel survey.Channel) map[string]any {
	rules := map[string]survey.Indicator{}
	for _, ind := range def.Indicators {
		if _, ok := rules[ind.Question]; !ok {
			rules[ind.Question] = ind
		}
	}
	var topics []string
	for _, ind := range def.Indicators {
		if ind.Kind == survey.Topic {
			topics = append(topics, ind.Question)
		}
	}
	weak := ""
	if len(topics) > 0 {
		weak = topics[p.weakSpot%len(topics)]
	}
	if channel == survey.ChannelVolunteer {
		lift += 0.02 // answers given to a visitor are a little kinder
	}
	raw := map[string]any{}
	for _, q := range def.Questions {
		if !q.Required && rng.Float64() > optionalRate(q) {
			continue
		}
		switch q.Type {
		case survey.Single:
			ind, ok := rules[q.ID]
			if !ok {
				raw[q.ID] = q.Options[weighted(rng, len(q.Options))].ID
				continue
			}
			chance := p.quality + lift + kindOffset[ind.Kind]
			if q.ID == weak {
				chance -= 0.15
			}
			raw[q.ID] = ruledAnswer(rng, q, ind, min(chance, 0.998))
		case survey.Multi:
			raw[q.ID] = choices(rng, q, p)
		case survey.Text:
			if q.Format == "phone" {
				raw[q.ID] = fmt.Sprintf("1%d%09d", []int{3, 5, 8, 9}[rng.IntN(4)], rng.IntN(1e9))
			} else {
				raw[q.ID] = suggestion(rng)
			}
		}
	}
	return raw
}

// optionalRate is how often an optional question is answered: the problem
// checklist mostly, a free-text suggestion sometimes, a call-back rarely.
func optionalRate(q survey.Question) float64 {
	switch {
	case q.Type == survey.Multi:
		return 0.75
	case q.Format == "phone":
		return 0.6
	case q.Type == survey.Text:
		return 0.18
	}
	return 0.15
}

// ruledAnswer answers an indicator question: an excluded option (不了解, 说不清)
// now and then, else a positive option with the given chance.
func ruledAnswer(rng *rand.Rand, q survey.Question, ind survey.Indicator, chance float64) string {
	var positive, negative, excluded []string
	for _, o := range q.Options {
		switch {
		case slices.Contains(ind.Excluded, o.ID):
			excluded = append(excluded, o.ID)
		case slices.Contains(ind.Positive, o.ID):
			positive = append(positive, o.ID)
		default:
			negative = append(negative, o.ID)
		}
	}
	switch {
	case len(excluded) > 0 && rng.Float64() < 0.03:
		return excluded[rng.IntN(len(excluded))]
	case rng.Float64() < chance || len(negative) == 0:
		return positive[weighted(rng, len(positive))]
	}
	return negative[weighted(rng, len(negative))]
}

// weighted draws an index below n, earlier ones more often (weights n, n-1, …, 1).
func weighted(rng *rand.Rand, n int) int {
	x := rng.IntN(n * (n + 1) / 2)
	for i := range n {
		if x -= n - i; x < 0 {
			return i
		}
	}
	return n - 1
}

// choices picks up to the question's maximum of options, the community's own
// problems more often than the others.
func choices(rng *rand.Rand, q survey.Question, p profile) []string {
	limit := len(q.Options)
	if q.Max > 0 {
		limit = min(limit, q.Max)
	}
	k := 1 + rng.IntN(limit)
	var out []string
	for len(out) < k {
		i := rng.IntN(len(q.Options))
		if rng.Float64() < 0.5 {
			i = p.problems[rng.IntN(len(p.problems))] % len(q.Options)
		}
		if id := q.Options[i].ID; !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// suggestions are what residents write; a few leave a phone number in the text.
var suggestions = []string{
	"小区东门的垃圾桶经常满溢，希望增加清运次数。",
	"晚上电动车乱停，消防通道经常被堵，希望物业加强管理。",
	"菜市场周边占道经营比较严重，早高峰很难走。",
	"建议社区多组织一些适合老年人的文体活动。",
	"路灯坏了好几盏，晚上出行不方便，希望尽快维修。",
	"希望在学校门口增加交通协管员，接送孩子时太乱了。",
	"楼道里小广告太多，清理后很快又贴上了。",
	"遛狗不牵绳的现象比较多，希望加强宣传和劝导。",
	"12345反映的问题处理得很及时，点赞！",
	"公园里公共厕所的卫生需要加强。",
	"希望增加一些停车位，或者错时开放周边单位的停车场。",
	"志愿服务活动很好，希望周末多安排一些。",
	"文明创建不能只在检查前搞突击，平时也要保持。",
	"小区绿化带里有人种菜，影响环境，希望处理。",
	"飞线充电的问题还是有，希望尽快安装充电桩。",
	"社区工作人员态度很好，办事效率也提高了。",
	"建议公交站台增加遮雨棚。",
	"背街小巷路面坑洼不平，下雨天积水严重。",
	"希望加强夜间治安巡逻。",
	"垃圾分类宣传做得不错，但分类后的收运要跟上。",
}

func suggestion(rng *rand.Rand) string {
	s := suggestions[rng.IntN(len(suggestions))]
	switch x := rng.Float64(); {
	case x < 0.06:
		s += fmt.Sprintf("有问题可以打我电话1%d%09d。", []int{3, 5, 8}[rng.IntN(3)], rng.IntN(1e9))
	case x < 0.09:
		s += fmt.Sprintf("联系电话：0571-8%07d", rng.IntN(1e7))
	}
	return s
}
