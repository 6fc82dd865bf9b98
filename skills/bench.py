"""Skills benchmark rows (``manage.py seed_bench``; see community/bench.py): at scale 1, 100,000
skills (about five per person, on the commoner tags) and 1,000 volunteers."""

from community.bench import Bench, bulk

from .models import HelpOffer, Level, Skill


def seed(bench: Bench) -> None:
    rng = bench.rng
    levels = [Level.LEARNING, Level.PRACTISING, Level.PRACTISING, Level.EXPERT]
    skills = {(rng.choice(bench.user_ids), tag) for _ in range(bench.count(100_000)) for tag in bench.some_tags(1)}
    bulk(
        Skill,
        (
            Skill(user_id=user, tag_id=tag, level=rng.choice(levels), can_help=rng.random() < 0.3)
            for user, tag in skills
        ),
        ignore_conflicts=True,
    )
    volunteers = rng.sample(bench.user_ids, min(len(bench.user_ids), bench.count(1_000)))
    bulk(
        HelpOffer, (HelpOffer(user_id=user, capacity=rng.randint(1, 4)) for user in volunteers), ignore_conflicts=True
    )
    bench.log(f"  {len(skills):,} skills, {len(volunteers):,} volunteers")


def finish(bench: Bench) -> None:
    """Work out "who can help" for every topic someone declared (bulk rows send no signals), so the
    benchmark reads kept scores rather than paying for each topic's first read."""
    from .ranking import refresh_topic_scores

    topics = list(Skill.objects.order_by().values_list("tag_id", flat=True).distinct())
    refreshed = refresh_topic_scores(topics)
    bench.log(f"  who can help worked out for {refreshed:,} topics")
