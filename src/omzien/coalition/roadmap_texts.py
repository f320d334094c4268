"""A short explanation of each roadmap (routekaart) chapter, written for a new project leader.
Based on the routekaart "Eenzaamheid van inwoners voorkomen en verminderen" and the experience of
the municipalities in the context documents."""

from django.utils.translation import gettext_lazy as _

from .models import Chapter

Code = Chapter.Code

EXPLANATIONS = {
    Code.EXPLORATION: _(
        "Start by finding out what is already there. Look at the figures on loneliness in your "
        "municipality, for example from the GGD health monitor. Make a list of the organisations, "
        "activities and networks that already work on it, and ask colleagues in other "
        "departments who they know. Connect with what already exists instead of starting "
        "something new."
    ),
    Code.PLAN: _(
        "Write down together what you want to achieve and how. Choose the groups you want to "
        "reach first and the areas where loneliness is highest. Name the goals, the actions, who "
        "does what and the money you need, and include agreements about communication and "
        "monitoring. Share the plan with the council and the alderman, so that there is "
        "political support."
    ),
    Code.COMMITMENT: _(
        "An approach only works if partners really take part. Ask organisations to sign an "
        "“ik doe mee” statement that says what they will do. Each partner has a contact person "
        "and an attention officer who keeps their own organisation informed. Personal, "
        "one-to-one contact helps to build these relationships, also with the alderman and the "
        "council."
    ),
    Code.NETWORK: _(
        "Move from sitting together to working together. A strong coalition shares a clear goal, "
        "has trust, has the right size and mix of partners, and has representatives with the "
        "right knowledge and motivation. Hold both formal meetings and informal get-togethers, "
        "and start small working groups, for example per life phase. Businesses, housing "
        "corporations and schools are often missing: invite them."
    ),
    Code.MONITORING: _(
        "Show what the approach achieves, and do not wait for the health monitor that comes "
        "once every four years. Agree at the start what you will measure, such as how many "
        "people you reach, the referrals and how people feel afterwards. Ask partners and funded "
        "projects to report in the same way. Use the results to learn and improve together, and "
        "report regularly to the council and the alderman."
    ),
    Code.AWARENESS: _(
        "A campaign breaks the taboo on loneliness and helps people to take action. First choose "
        "your target group: the people who feel lonely themselves, or the people around them who "
        "can notice it. Use channels that fit, such as the local newspaper, posters, social "
        "media or a card to older residents. Join national moments such as the Week tegen "
        "Eenzaamheid; personal stories and word of mouth work well."
    ),
    Code.PREVENTION: _(
        "Prevention stops loneliness before it starts or gets worse. Pay attention to moments in "
        "life when people can become lonely, such as retirement, losing a partner, moving house "
        "or illness. Make sure there are enough places to meet and things to do, for all ages. "
        "Residents' initiatives, sport and culture can play a big role: build on what is "
        "already there."
    ),
    Code.SIGNALLING: _(
        "Many lonely people do not ask for help themselves. Train professionals and volunteers, "
        "such as GP assistants, district nurses, housing officers and shop staff, to notice signs "
        "of loneliness and to talk about it. Make clear where they can go with a signal. Make "
        "sure every signal gets a follow-up, and that the person who gave it hears what happened."
    ),
    Code.SUPPORT: _(
        "Help people who feel lonely to find contacts and activities that suit them. It starts "
        "with a good conversation about what someone wants. Then refer them to an activity on "
        "the social map, a buddy or other support, and check later how it is going. Meeting "
        "others, meaningful activities, practical support and a role that matters all help."
    ),
}


def explanation(code):
    return EXPLANATIONS.get(code, "")
