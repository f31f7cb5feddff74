package io.earshot.analysis.evaluation.corpus;

import java.util.List;

/**
 * Contact-center phrases for generated calls: plain lower-case words a speech synthesiser can
 * say and a recogniser spells the same way (numbers as words, no punctuation). Every phrase a
 * claim may be made of has a word that is not a backchannel token; backchannels use the
 * recogniser's spellings of the tokens.
 */
final class Vocabulary {

    /** A call's subject: what each party talks about. */
    record Topic(String name, List<String> agent, List<String> customer) {
    }

    static final List<Topic> TOPICS = List.of(
            new Topic("billing", List.of(
                    "i can see your last bill",
                    "the charge was added in may",
                    "that is the annual service fee",
                    "let me check your payments",
                    "your account shows two payments",
                    "i will refund the difference",
                    "it takes about five days",
                    "the plan went up in march",
                    "there was a late payment fee",
                    "i can remove that fee",
                    "your next bill will be lower",
                    "we changed the tariff",
                    "you are on the basic plan",
                    "the discount ended in april",
                    "so the total is forty pounds",
                    "that covers the whole quarter"),
                    List.of(
                    "my bill is much higher",
                    "i was charged twice",
                    "i never agreed to that fee",
                    "it is forty pounds more",
                    "i paid it on the first",
                    "nobody told me about it",
                    "i have the statement here",
                    "can you take it off",
                    "i want the old price back",
                    "the letter says ninety nine",
                    "the direct debit went twice",
                    "the discount was for a year",
                    "it was never this much before",
                    "i only use it at weekends")),
            new Topic("delivery", List.of(
                    "your parcel left the depot",
                    "the courier came yesterday",
                    "i can book a new slot",
                    "it is out for delivery",
                    "the number ends in seven",
                    "we can leave it next door",
                    "i will raise a claim",
                    "the driver took a photo",
                    "a replacement can go tomorrow",
                    "the warehouse sent it on monday",
                    "it should arrive by six",
                    "the van is in your area"),
                    List.of(
                    "my order has not arrived",
                    "i was at home all day",
                    "nobody knocked on the door",
                    "the box was already open",
                    "one of the chairs is missing",
                    "i ordered it two weeks ago",
                    "the tracking has not moved",
                    "can it come on saturday",
                    "i need it before the weekend",
                    "they sent the wrong colour",
                    "the note said nobody was home",
                    "i paid for next day delivery")),
            new Topic("password", List.of(
                    "i will send a reset link",
                    "the link lasts one hour",
                    "please check your spam folder",
                    "it locked after five tries",
                    "i have unlocked it for you",
                    "use eight letters and a number",
                    "try the website first",
                    "the code goes to your mobile",
                    "let me check your email address",
                    "the app needs an update",
                    "you can log in now",
                    "the old password will stop working"),
                    List.of(
                    "i cannot log in",
                    "it says the password is wrong",
                    "the reset email never came",
                    "i changed my number last year",
                    "the code does not work",
                    "it locked me out this morning",
                    "i tried it three times",
                    "the app just keeps loading",
                    "i lost access to that email",
                    "it worked fine last week",
                    "i am on my laptop now",
                    "the screen just goes blank")),
            new Topic("car service", List.of(
                    "your car is booked for thursday",
                    "the service takes three hours",
                    "we found a brake problem",
                    "the front pads need replacing",
                    "the warranty covers that part",
                    "a courtesy car is free",
                    "the mechanic will call at noon",
                    "the price includes the oil",
                    "we can collect it from home",
                    "the tyres are fine for now",
                    "the part comes in tomorrow",
                    "it will be ready by five"),
                    List.of(
                    "it squeaks when i brake",
                    "the warning light came on again",
                    "it was serviced in june",
                    "i need the car for work",
                    "how long will it take",
                    "can you collect it from work",
                    "the last garage said fine",
                    "it pulls to the left",
                    "i would rather wait there",
                    "the estimate seems very high",
                    "it is a blue estate",
                    "the mileage is about forty thousand")),
            new Topic("insurance", List.of(
                    "i have your policy open",
                    "the excess is two hundred",
                    "accidental damage is covered",
                    "we need photos of the damage",
                    "an adjuster will contact you",
                    "the reference is in your email",
                    "your renewal is on the tenth",
                    "claims went up in your area",
                    "i can add your partner",
                    "we pay within ten days",
                    "a builder can come on monday",
                    "that is under the home policy"),
                    List.of(
                    "a pipe burst in the kitchen",
                    "water came through the ceiling",
                    "i want to make a claim",
                    "the renewal is far too high",
                    "i have been loyal for years",
                    "a tree fell on the fence",
                    "i sent the photos last week",
                    "nobody has called me back",
                    "does it cover the carpet",
                    "i need someone out quickly",
                    "the whole floor is soaked",
                    "we had to move the furniture")),
            new Topic("internet", List.of(
                    "there is an outage nearby",
                    "engineers are working on it",
                    "please restart the router",
                    "the lights should turn green",
                    "the line is up now",
                    "the test shows ten megabits",
                    "i will book an engineer",
                    "a new router is coming",
                    "try the other socket",
                    "it should be fixed tonight",
                    "i can give you a credit",
                    "the fault is at the exchange"),
                    List.of(
                    "the internet keeps dropping out",
                    "it has been down since tuesday",
                    "i work from home every day",
                    "the light is flashing orange",
                    "i already restarted it twice",
                    "it is really slow at night",
                    "my neighbours have the same problem",
                    "i want some money back",
                    "the engineer never turned up",
                    "the wifi does not reach upstairs",
                    "we have three people working here",
                    "my son needs it for school")));

    static final List<String> AGENT_GENERIC = List.of(
            "let me have a look",
            "bear with me one moment",
            "i understand how frustrating that is",
            "thanks for waiting",
            "i am sorry about that",
            "just to confirm the details",
            "so what you are saying is",
            "i will make a note",
            "that is all sorted now",
            "you will get an email shortly",
            "i can help with that",
            "can you tell me more",
            "when did this start",
            "let me explain what happened");

    static final List<String> CUSTOMER_GENERIC = List.of(
            "i have been waiting for ages",
            "this is my third call",
            "i just want it fixed",
            "they told me that last time",
            "i am not happy about it",
            "thank you for your help",
            "that sounds better",
            "i did not know that",
            "my name is jordan taylor",
            "the postcode is the same",
            "i am calling about my account",
            "could you check that for me");

    static final List<String> AGENT_OPENINGS = List.of(
            "thank you for calling", "good morning this is support", "hello this is sam speaking",
            "good afternoon how can i help", "hi there thanks for holding");

    static final List<String> CUSTOMER_OPENINGS = List.of(
            "hello is that customer services", "hi it is about my order", "hello can anyone hear me");

    /** Questions that close a turn. */
    static final List<String> QUESTIONS = List.of(
            "is that right", "can you hear me", "does that make sense", "is that okay with you",
            "can i take your name please", "what is the postcode", "how long will that take", "why is it so high",
            "is there anything else", "what does that mean", "when will it arrive", "can you do that today");

    /** Short complete answers: a turn of its own, never a backchannel. */
    static final List<String> SHORT_ANSWERS = List.of(
            "then one is fine", "no not yet", "the blue one", "just the one", "about three weeks ago",
            "that would be great", "no thank you", "since last tuesday", "the second one", "only on mondays",
            "by email please", "not really", "twenty pounds", "tomorrow morning", "yes the kitchen one",
            "okay that works", "right after lunch");

    /** Short first phrases that take the floor while the other finishes. */
    static final List<String> GRAB_OPENERS = List.of(
            "right so", "okay so", "well actually", "sorry but", "hang on", "okay", "right", "yeah but", "no wait",
            "so basically");

    /** First phrases long enough to overlap the speaker's end by well over 600 ms. */
    static final List<String> GRAB_INTERRUPTERS = List.of(
            "how much higher", "say that again", "since when exactly", "what fee exactly", "hold on there",
            "wait a second", "sorry say again", "but why not", "no hang on", "which letter was that", "hold on a second",
            "but i already did");

    /** Lines of a listener who tries to cut in and gives up. */
    static final List<String> INTERJECTIONS = List.of(
            "but i already paid", "sorry can i just say", "that is not what i said", "wait i have a question",
            "hold on one second", "but that was last month", "i told you that already", "can i ask something",
            "that is not fair", "but the letter said otherwise");

    /** Backchannels in the recogniser's spellings. */
    static final List<String> BACKCHANNELS = List.of(
            "mhmm", "mm hmm", "uh huh", "yeah", "yeah yeah", "okay", "right", "i see", "got it", "yes", "sure",
            "okay right", "yeah i see", "mm", "right right", "sure sure", "alright", "yep", "uh huh yeah", "mhmm mhmm",
            "okay got it", "yes yes");

    private Vocabulary() {
    }
}
