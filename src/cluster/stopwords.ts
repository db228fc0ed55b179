// English function words plus a few words every news report uses ("said", "report") that
// say nothing about which event it covers. Matched after lower-casing, before stemming.
const WORDS = `
a about above across after afterwards again against ago all almost along already also although always am
among amid amidst an and another any anyone anything are around as at away back be became because become
been before being below beside besides between beyond both but by can cannot could did do does doing done
down during each either else enough even ever every few for former formerly from further get gets getting
got had has have having he her here hers herself him himself his how however i if in including inside into
is it its itself just least less let like made make makes many may me meanwhile might mine more moreover
most mostly much must my myself near nearly neither never nevertheless next no nobody none nor not nothing
now of off often on once one only onto or other others otherwise our ours ourselves out over own per
perhaps please put quite rather really same several she should since so some somehow someone something
sometimes still such than that the their theirs them themselves then there thereby therefore these they
this those though through throughout thus to together too toward towards under unless until up upon us
very via was we well were what whatever when whenever where whereas wherever whether which while who
whoever whole whom whose why will with within without would yet you your yours yourself yourselves
said says say saying told tells according reported reports report reporting news breaking update updated
watch video photos read via year years week weeks day days today yesterday tomorrow monday tuesday wednesday
thursday friday saturday sunday mr mrs ms dr new
`;

export const STOP_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
