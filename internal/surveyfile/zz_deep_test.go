package surveyfile
import ("testing";"time";"fmt";"strings")
func TestDeepTmp(t *testing.T){
 for _, s := range []string{"intro: "+strings.Repeat("[", 300000), "intro: "+strings.Repeat("[", 10000)+strings.Repeat("]", 10000), "intro: "+strings.Repeat("- ", 100000)+"x", strings.Repeat("a:\n ", 10000)} {
  st := time.Now()
  _, err := Parse("f", []byte(s)); es := fmt.Sprint(err); if len(es)>200 {es=es[:200]}
  t.Logf("%d bytes %v => %s", len(s), time.Since(st), es)
 }
}
