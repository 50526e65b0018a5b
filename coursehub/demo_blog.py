"""The demo course's blog assignment, posts and discussion, written for CourseHub."""

ASSIGNMENT_TITLE = "Blog 4: Where does it happen in the brain?"

ASSIGNMENT_PROMPT = """\
Pick **one** of this chapter's topics and write a short blog post about a finding
that surprised you. Tie it to the lecture: cite the moment you mean with a lecture
citation such as `[[video:{video_id}@31:00]]`.

- Say what was found, and how (lesion, recording, imaging, stimulation).
- Say what the finding does *not* show.
- List your sources as footnotes.

Then read your classmates' posts and answer at least two of them.
"""

# (author username, title, topic name, body, publish)
POSTS = [
    (
        "maya",
        "Mirror Neurons",
        "Functions",
        """\
In the early 1990s a lab in Parma was recording single cells in the premotor cortex
of macaque monkeys, in an area they called F5, to learn how grasping is planned.
Some of those cells did something nobody had asked of them: they fired when the
monkey picked up a raisin, and they also fired when the monkey merely *watched* a
researcher pick one up.[^1] The cells came to be called mirror neurons.

What I find striking is how small the original observation was, and how large the
claims built on it became. Mirror neurons have been offered as the basis of
imitation, of understanding other people's goals, of empathy, even of language.
The lecture makes the point that localising a response is not the same as
explaining a function ([[video:{video_id}@31:00]]), and this is a good example.

## What the evidence shows

- In monkeys: individual cells respond to both doing and seeing an action.
- In people: mostly indirect evidence from imaging, where areas active during an
  action are also active while watching it. Recordings from single cells in
  humans are rare and come from patients having surgery for epilepsy.[^2]

## What it does not show

Firing during observation does not prove the cells are *how* we understand an
action. People with damage to these areas can still recognise actions, and the
popular "broken mirror" account of autism has not held up well.[^3]

I still think the finding matters: it shows that the motor system is not only an
output device. But "mirror neurons explain empathy" is a headline, not a result.

[^1]: Described in the first reports from the Parma group on area F5, 1992 and 1996.
[^2]: Single-neuron recordings in epilepsy patients were reported in 2010.
[^3]: See the critical reviews of the mirror-neuron theory of autism from the 2010s.
""",
        True,
    ),
    (
        "jonas",
        "The Cerebellum Does More Than Balance",
        "Structures",
        """\
I came into this chapter thinking of the cerebellum as the part that stops you from
falling over. It does do that: it compares the movement you intended with the one
you made and corrects the difference, which is why damage to it makes movements
shaky and badly timed ([[video:{video_id}@4:10]]).

The surprise for me was its size. It holds more than half of the brain's neurons,
packed into about a tenth of its volume, mostly tiny granule cells.[^1] A structure
with that many cells only for balance would be an odd use of resources.

Imaging studies now show parts of the cerebellum active during language and
working-memory tasks, and some patients with cerebellar damage have trouble with
planning and with the timing of speech, not only of movement.[^2] One idea is that
the cerebellum does the same job everywhere: it learns to predict what should
happen next and flags errors, whether the "movement" is a reach or a sentence.

What this does not show is that the cerebellum *thinks*. Activity during a task can
reflect support for the task rather than the task itself.

[^1]: Neuron counts from studies that dissolve brain tissue and count nuclei.
[^2]: Reports of a "cerebellar cognitive affective syndrome" since the late 1990s.
""",
        True,
    ),
    (
        "priya",
        "Two Hemispheres, One Person",
        "Connections",
        """\
The corpus callosum is a thick band of about two hundred million axons that links
the left and right cortex. Cutting it was once a last-resort treatment for severe
epilepsy, and the people who had the operation taught us a great deal
([[video:{video_id}@17:05]]).

In everyday life they seemed unchanged. The differences appeared only in careful
tests that sent information to one hemisphere at a time. A word flashed to the
right hemisphere could not be named aloud, because speech was in the left, yet the
left hand (run by the right hemisphere) could pick out the matching object.[^1]

The part I keep thinking about is what happened next: asked *why* the hand chose
that object, the speaking hemisphere often made up a confident explanation. It did
not know the real reason, so it supplied a plausible one.

What this does not show is that we all have "two minds" in normal life. With the
callosum intact, the hemispheres share information constantly. The split-brain
studies show what each side can do alone, not how they work together.

[^1]: The split-brain studies of the 1960s and 1970s.
""",
        True,
    ),
    (
        "leo",
        "Phineas Gage, again",
        "Functions",
        "Notes so far: the tamping iron, the frontal lobe, how the story changed "
        "over time. Need to check which details are reliable.",
        False,
    ),
]

# (key, author, post author, parent key or None, body); keys name comments for replies.
DISCUSSION = [
    (
        "j1",
        "jonas",
        "maya",
        None,
        "Really clear post. I did not know the first cells were found while studying "
        "grasping; it makes the discovery sound almost accidental. Do you think the "
        "imaging studies in people could be picking up ordinary motor planning instead?",
    ),
    (
        "m1",
        "maya",
        "maya",
        "j1",
        "That is exactly the worry. If you watch someone reach, you might quietly plan "
        "the same reach yourself, and that would light up the same areas without any "
        "special mirror system.",
    ),
    (
        "j2",
        "jonas",
        "maya",
        "m1",
        "So the monkey data is the strong part and the human data is the shaky part. "
        "That changes how I read the headlines.",
    ),
    (
        "p1",
        "priya",
        "maya",
        None,
        "I like the last line. It is a good rule for the whole chapter: finding where "
        "something lights up is the start of the question, not the answer.",
    ),
    (
        "t1",
        "okafor",
        "maya",
        None,
        "Good use of the lecture citation. For the reference list, try to name the "
        "actual papers (authors and year) rather than describing them, so a reader can "
        "find them.",
    ),
    (
        "m2",
        "maya",
        "maya",
        "t1",
        "Thank you, I will add the authors and years tonight.",
    ),
    (
        "a1",
        "amara",
        "maya",
        None,
        "The part about patients who can still recognise actions after damage was new "
        "to me. Is that from stroke patients?",
    ),
    (
        "m3",
        "maya",
        "maya",
        "a1",
        "Yes, mostly people after strokes affecting the frontal and parietal areas. "
        "Some could still tell what an action was for.",
    ),
    (
        "m4",
        "maya",
        "jonas",
        None,
        "The prediction idea ties your post together nicely. Is there a simple "
        "experiment that shows the cerebellum predicting something other than movement?",
    ),
    (
        "j3",
        "jonas",
        "jonas",
        "m4",
        "One I read about uses rhythms: people with cerebellar damage struggle to "
        "judge small differences in timing even when they do not move at all.",
    ),
    (
        "p2",
        "priya",
        "jonas",
        None,
        "More than half the neurons in a tenth of the space! That one fact makes the "
        "balance-only story hard to believe.",
    ),
    (
        "j4",
        "jonas",
        "priya",
        None,
        "The made-up explanations are the eeriest part of the split-brain work. It "
        "makes me wonder how often my own reasons are invented after the fact.",
    ),
]

# An earlier assignment, already past its deadlines, so the gradebook has history.
EARLIER_TITLE = "Blog 3: Following one signal"

EARLIER_PROMPT = """\
Follow a single signal from one neuron to the next, in your own words: the resting
membrane, the threshold, the spike travelling down the axon, and what happens at
the synapse. At least 150 words; then comment on two classmates' posts.
"""

# (author, title, body, hours after the assignment opened)
EARLIER_POSTS = [
    (
        "maya",
        "A Spike in Four Steps",
        """\
At rest, the inside of a neuron sits at about seventy millivolts below the outside.
Pumps keep potassium high inside and sodium high outside, and a few open potassium
channels let the membrane settle near potassium's balance point.

When enough input arrives to lift the membrane to threshold, voltage-gated sodium
channels open all at once. Sodium rushes in, and the inside swings positive for
about a millisecond. That is the spike, and it is all or nothing: a stronger input
gives more spikes, never a bigger one.

The sodium channels then shut and cannot reopen for a moment, which is why the
spike travels forward only. Potassium channels open a little late and pull the
membrane back down, even overshooting for a while.

At the axon terminal the spike opens calcium channels. Calcium lets vesicles fuse
with the membrane and release transmitter into the gap, where it binds receptors on
the next cell and the story starts again.
""",
        30,
    ),
    (
        "jonas",
        "Why Myelin Matters",
        """\
I wanted to understand why some signals are fast and others slow. The answer in
this chapter is insulation. Many axons are wrapped in myelin, layers of membrane
from glial cells, with small bare gaps every millimetre or so.

Without myelin the spike has to regenerate at every patch of membrane along the
way, which is slow. With myelin the current flows quickly under the insulation and
the spike only has to be rebuilt at the gaps, so it seems to jump from gap to gap.
The fastest myelinated axons carry signals at over a hundred metres per second,
while thin bare fibres manage about one.

This is also why diseases that attack myelin are so disabling. The axons may still
be there, but signals slow down, arrive out of step, or fail to arrive at all.
Timing turns out to be as important as the message itself, a point I did not
expect when we started with a single neuron at rest.
""",
        41,
    ),
    (
        "priya",
        "The Synapse Is a Decision",
        """\
The part of the signal's journey I found most interesting is the end, because that
is where a single neuron stops being a wire and starts being a judge.

When transmitter crosses the gap, it can push the next cell towards threshold or
away from it. Glutamate usually excites and GABA usually inhibits. A typical neuron
receives thousands of such inputs at once, some near the cell body and some far out
on the dendrites, and whether it fires depends on the sum arriving at the start of
the axon at the same moment.

So a neuron is not passing a message along unchanged. It weighs many small votes,
most of which are not enough on their own. Learning, as a later chapter will show,
can change how heavy each vote is. That makes the synapse the place where
experience can leave a mark, and it made the whole chain of events feel less like
plumbing and more like thinking.
""",
        52,
    ),
    (
        "amara",
        "Threshold",
        """\
I kept coming back to the idea of a threshold. Below it, inputs fade away within a
few milliseconds and nothing is sent. Above it, the full spike always follows.

The threshold is not a fixed number written into the cell. It depends on how many
sodium channels are ready, which depends on what the cell did a moment ago. Just
after a spike, the threshold is effectively higher, and for a brief time no input
can trigger another one. This sets a speed limit on how often a neuron can fire.

The lecture compared this to a flush toilet, which I will not forget: you can press
the handle as hard as you like, but it will not flush again until the tank refills.
That picture explains both the all-or-nothing spike and the pause after it, and it
shows why neurons code strength in the number of spikes per second rather than in
their size.
""",
        190,  # after the due time: late
    ),
    (
        "leo",
        "Signals",
        "Neurons send electrical signals along the axon and chemicals across the "
        "synapse. I still need to read more about the details.",
        60,
    ),
]

# (author, post author, body, hours after the assignment opened)
EARLIER_COMMENTS = [
    (
        "jonas",
        "maya",
        "The four steps made this easy to follow. I had not understood "
        "why the spike only moves forward until your third paragraph.",
        60,
    ),
    (
        "priya",
        "maya",
        "Good point that a stronger input gives more spikes, never a "
        "bigger one. That is the idea the whole chapter rests on.",
        70,
    ),
    (
        "maya",
        "jonas",
        "The numbers for fast and slow fibres help a lot. A hundred "
        "times faster is more than I would have guessed.",
        75,
    ),
    (
        "amara",
        "jonas",
        "The link to diseases of myelin makes this feel real. "
        "Timing matters more than I expected too.",
        200,
    ),
    (
        "maya",
        "priya",
        "Calling the synapse a judge is a great way to put it, and "
        "it sets up the learning chapter nicely.",
        80,
    ),
    (
        "jonas",
        "priya",
        "Weighing many small votes is exactly how our lecturer "
        "described it. Nice connection to plasticity.",
        90,
    ),
    (
        "priya",
        "amara",
        "The toilet picture is funny and it works. I will remember the refractory period now.",
        205,
    ),
    ("leo", "maya", "Nice.", 100),
]
