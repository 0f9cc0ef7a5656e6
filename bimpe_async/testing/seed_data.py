"""Vocabulary for seeded data: businesses, people and the things they say.

Plausible content makes demos readable and gives search something real to find.
Addresses use example domains so nothing seeded points at a real site.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Industry:
    label: str
    roles: tuple[str, ...]
    offer: str
    flows: tuple[tuple[str, str], ...]
    exchanges: tuple[tuple[str, str], ...]
    """Typical (customer question, agent answer) pairs that open a conversation."""


INDUSTRIES: dict[str, Industry] = {
    "restaurant": Industry(
        label="restaurant",
        roles=("Order Assistant", "Concierge", "Reservations Bot"),
        offer="takes orders, shares the daily menu and books tables",
        flows=(
            ("Take an order", "Collect items, delivery address and payment"),
            ("Book a table", "Find a free slot and confirm the party size"),
            ("Menu questions", "Answer questions about dishes, spice levels and allergens"),
        ),
        exchanges=(
            (
                "Good evening, is the jollof rice available today?",
                "Yes, jollof rice with grilled chicken is on today's menu. Shall I add it?",
            ),
            (
                "Can I book a table for four on Saturday at 7pm?",
                "Your table for four is booked for Saturday at 7pm. See you then!",
            ),
            (
                "How long does delivery to Lekki Phase 1 take?",
                "Delivery to Lekki Phase 1 usually takes 35 to 45 minutes.",
            ),
            (
                "Do you have anything without pepper for my kids?",
                "Our fried rice and pepper-free grilled fish are popular with kids.",
            ),
            (
                "I ordered an hour ago and nothing has arrived yet",
                "I'm sorry about the wait. Your rider is 10 minutes away.",
            ),
            (
                "Please add two plates of asun and a chapman to my order",
                "Done! Your order now has two plates of asun and one chapman.",
            ),
        ),
    ),
    "clinic": Industry(
        label="medical clinic",
        roles=("Front Desk", "Appointment Assistant", "Care Coordinator"),
        offer="books appointments, answers questions about services and sends reminders",
        flows=(
            ("Book an appointment", "Match the patient with a doctor and a free slot"),
            ("Reschedule", "Move an existing appointment"),
            ("Services and prices", "Explain consultation fees and HMO coverage"),
        ),
        exchanges=(
            (
                "I'd like to see a dentist this week, any free slot?",
                "Dr. Okafor has a free slot on Wednesday at 11am. Shall I book it?",
            ),
            (
                "Do you accept my HMO card for a consultation?",
                "Yes, we accept most HMOs. Please bring your card to the front desk.",
            ),
            (
                "Can I move my Thursday appointment to Friday morning?",
                "Your appointment is now on Friday at 9:30am.",
            ),
            (
                "How much is a full blood count test?",
                "A full blood count costs 8,500 naira and results are ready the same day.",
            ),
            (
                "Is the clinic open on Sunday?",
                "We're open on Sundays from 12pm to 5pm for emergencies only.",
            ),
        ),
    ),
    "fashion": Industry(
        label="fashion house",
        roles=("Style Assistant", "Shop Assistant", "Customer Care"),
        offer="helps customers find sizes, track orders and arrange custom fittings",
        flows=(
            ("Product enquiry", "Check sizes, colours and stock"),
            ("Track an order", "Find the order and share its delivery status"),
            ("Custom fitting", "Book a measurement session"),
        ),
        exchanges=(
            (
                "Do you have the ankara wrap dress in size 12?",
                "Yes, the ankara wrap dress is in stock in size 12 in two colours.",
            ),
            (
                "Where is my order? I paid on Monday",
                "Your order shipped yesterday and should arrive by Thursday.",
            ),
            (
                "Can I get an agbada sewn for my wedding in three weeks?",
                "Three weeks is enough for a custom agbada. Let's book your fitting.",
            ),
            (
                "What is your return policy?",
                "You can return unworn items within 7 days for a refund or exchange.",
            ),
            (
                "Can I pay on delivery?",
                "Pay on delivery is available within Lagos and Abuja.",
            ),
        ),
    ),
    "auto": Industry(
        label="auto workshop",
        roles=("Service Desk", "Booking Assistant"),
        offer="books car services, gives repair estimates and updates customers on progress",
        flows=(
            ("Book a service", "Pick a service type and a drop-off time"),
            ("Repair status", "Share progress on a car in the workshop"),
        ),
        exchanges=(
            (
                "How much is a full service for a 2015 Corolla?",
                "A full service for a 2015 Corolla is 45,000 naira including oil and filters.",
            ),
            (
                "My AC is blowing hot air, can you check it tomorrow?",
                "We can check the AC tomorrow at 10am. Please bring the car by 9:45.",
            ),
            (
                "Is my car ready? Plate number KJA 123 XY",
                "Your car is being washed and will be ready by 4pm today.",
            ),
            (
                "Do you sell original brake pads?",
                "Yes, we stock original brake pads for most Toyota and Honda models.",
            ),
        ),
    ),
    "hotel": Industry(
        label="hotel",
        roles=("Reservations Assistant", "Guest Concierge"),
        offer="handles room bookings, airport pickups and guest requests",
        flows=(
            ("Room booking", "Check availability and confirm a reservation"),
            ("Guest requests", "Route housekeeping and room-service requests"),
            ("Airport pickup", "Arrange a driver for arriving guests"),
        ),
        exchanges=(
            (
                "Do you have a deluxe room from the 12th to the 15th?",
                "A deluxe room is available from the 12th to the 15th at 85,000 naira a night.",
            ),
            (
                "Can you arrange an airport pickup for my 6pm flight?",
                "A driver will meet you at arrivals with a sign showing your name.",
            ),
            (
                "Please send extra towels to room 214",
                "Housekeeping is on the way with extra towels.",
            ),
            (
                "Is breakfast included in the rate?",
                "Yes, breakfast for two is included in all our room rates.",
            ),
        ),
    ),
    "logistics": Industry(
        label="logistics company",
        roles=("Dispatch Assistant", "Tracking Assistant"),
        offer="books pickups, quotes delivery prices and tracks parcels",
        flows=(
            ("Book a pickup", "Collect pickup and drop-off addresses and parcel size"),
            ("Track a parcel", "Look up a tracking number"),
        ),
        exchanges=(
            (
                "How much to send a small parcel from Ikeja to Ibadan?",
                "Ikeja to Ibadan for a small parcel is 6,000 naira with next-day delivery.",
            ),
            (
                "Track my parcel please: BX-20491",
                "Parcel BX-20491 is out for delivery and should arrive this afternoon.",
            ),
            (
                "Can a rider pick up from my office before 3pm?",
                "A rider can pick up from your office at 1:30pm. Shall I confirm?",
            ),
            (
                "My parcel arrived damaged, what can I do?",
                "I'm sorry about that. I've opened a claim and our team will call you today.",
            ),
        ),
    ),
}

BUSINESSES: tuple[tuple[str, str, str], ...] = (
    ("Mama Nkechi's Kitchen", "restaurant", "14 Admiralty Way, Lekki, Lagos"),
    ("Suya Spot Express", "restaurant", "3 Allen Avenue, Ikeja, Lagos"),
    ("Calabar Pot", "restaurant", "22 Aminu Kano Crescent, Wuse 2, Abuja"),
    ("Buka Republic", "restaurant", "9 Ogui Road, Enugu"),
    ("Lekki Smiles Dental", "clinic", "5 Fola Osibo Street, Lekki, Lagos"),
    ("CarePoint Family Clinic", "clinic", "41 Ring Road, Ibadan"),
    ("Harmony Eye Centre", "clinic", "17 Aba Road, Port Harcourt"),
    ("Adire Threads", "fashion", "12 Oduduwa Crescent, GRA Ikeja, Lagos"),
    ("Kente & Co", "fashion", "8 Oxford Street, Osu, Accra"),
    ("Agbada House", "fashion", "30 Bode Thomas Street, Surulere, Lagos"),
    ("Zuri Boutique", "fashion", "Westlands Road, Nairobi"),
    ("Ikeja Auto Care", "auto", "2 Kudirat Abiola Way, Oregun, Lagos"),
    ("Garki Motors Service", "auto", "14 Ahmadu Bello Way, Garki, Abuja"),
    ("Eko Grand Suites", "hotel", "1 Ozumba Mbadiwe Avenue, Victoria Island, Lagos"),
    ("Obudu Hills Lodge", "hotel", "Obudu Plateau, Cross River"),
    ("Capital Court Hotel", "hotel", "7 Independence Avenue, Abuja"),
    ("Swift Dispatch NG", "logistics", "55 Ikorodu Road, Yaba, Lagos"),
    ("BoxRun Couriers", "logistics", "18 Trans-Amadi Road, Port Harcourt"),
    ("Sahel Freight Links", "logistics", "6 Bompai Road, Kano"),
    ("Jollof Junction", "restaurant", "11 Adeola Odeku Street, Victoria Island, Lagos"),
    ("Buka Corner Yaba", "restaurant", "4 Herbert Macaulay Way, Yaba, Lagos"),
    ("Sunrise Physiotherapy", "clinic", "20 Kofo Abayomi Street, Victoria Island, Lagos"),
    ("Ankara Lane", "fashion", "27 Adeniran Ogunsanya Street, Surulere, Lagos"),
    ("Lagoon View Apartments", "hotel", "3 Bourdillon Road, Ikoyi, Lagos"),
    ("Mile 12 Movers", "logistics", "Mile 12 Market Road, Kosofe, Lagos"),
    ("Ofada Place", "restaurant", "15 Awolowo Road, Ikoyi, Lagos"),
    ("Wellspring Pharmacy Clinic", "clinic", "9 Obafemi Awolowo Way, Ikeja, Lagos"),
    ("Aso Oke Atelier", "fashion", "6 Lagos Street, Abeokuta"),
    ("Tyre Doctor Lekki", "auto", "Km 18 Lekki-Epe Expressway, Lagos"),
    ("Harbour Lights Inn", "hotel", "12 Marina Road, Calabar"),
)

FIRST_NAMES = (
    "Adaeze", "Tunde", "Chioma", "Emeka", "Funmilayo", "Ibrahim", "Ngozi", "Segun",
    "Aisha", "Kelechi", "Yetunde", "Oluwaseun", "Zainab", "Chinedu", "Bisi", "Femi",
    "Amara", "Musa", "Kemi", "Obinna", "Grace", "Daniel", "Sarah", "Michael", "Fatima",
    "Joseph", "Esther", "Kwame", "Akosua", "Wanjiru",
)  # fmt: skip
LAST_NAMES = (
    "Okafor", "Adeyemi", "Balogun", "Eze", "Ibrahim", "Nwosu", "Okonkwo", "Adebayo",
    "Mohammed", "Olawale", "Obi", "Afolabi", "Danjuma", "Uche", "Akande", "Bello",
    "Mensah", "Kamau",
)  # fmt: skip

# Generic (customer, agent) exchanges that can follow any opening question.
FOLLOW_UPS = (
    ("Thank you!", "You're welcome, {first}! Is there anything else I can help with?"),
    ("Can I pay by bank transfer?", "Bank transfer works. I've sent the account details here."),
    ("Please call me when it's ready", "Sure, I've asked the team to call you on this number."),
    ("I'd like to speak to a person please", "I'm connecting you with our team at {business}."),
    ("Okay, that works for me", "Great, it's all confirmed. Thanks for choosing {business}!"),
    ("What time do you close today?", "{business} is open until 9pm today."),
)

RULES = (
    (
        "Escalate upset customers",
        "customer is upset or asks for a human",
        None,
        "I'm sorry about this. Let me bring in a member of our team.",
        "escalate",
    ),
    (
        "After-hours notice",
        "message arrives outside opening hours",
        "outside 8am to 9pm",
        "We're closed right now but will reply first thing in the morning.",
        None,
    ),
    (
        "Payment confirmation",
        "customer says they have paid",
        None,
        "Thanks! I'll confirm your payment in a moment.",
        "verify_payment",
    ),
)

LANGUAGES = ("en", "en", "en", "en", "pcm", "yo", "fr")
TIMEZONES = ("Africa/Lagos", "Africa/Lagos", "Africa/Lagos", "Africa/Accra", "Africa/Nairobi")
SETUP_STEPS = (
    "Connect the apps this workflow uses",
    "Add your prices and opening hours to a knowledge base",
    "Send a test message on the test line",
    "Go live",
)

CUSTOM_APIS: tuple[tuple[str, str, tuple[tuple[str, str, str, str], ...]], ...] = (
    (
        "Order desk API",
        "https://orders.{slug}.example/api",
        (
            ("Look up order", "GET", "/orders/{{order_id}}", "Find an order by its number"),
            ("Cancel order", "POST", "/orders/{{order_id}}/cancel", "Cancel an unshipped order"),
        ),
    ),
)
"""(name, base URL, tools as (name, method, path, description)) of a team's own API."""

PIPEDREAM_APPS = (
    ("slack", "Slack", "https://icons.pipedream.example/slack.svg"),
    ("airtable_oauth", "Airtable", "https://icons.pipedream.example/airtable.svg"),
    ("hubspot", "HubSpot", "https://icons.pipedream.example/hubspot.svg"),
)

CALL_END_REASONS = ("completed", "customer_hangup", "agent_transfer")

NUMBER_REQUESTS = (
    ("Second line for deliveries", "us", 2, 300),
    ("After-hours bookings line", "uk", 1, 120),
    ("Lagos hotline", "ng", 3, 600),
)
"""(intended use, region, agent count, outbound minutes) of seeded number requests."""

WORKFLOWS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "Restaurant order taking",
        "food",
        "Take delivery and pickup orders, upsell sides and collect payment",
        ("orders", "payments"),
    ),
    (
        "Appointment booking",
        "health",
        "Book, move and cancel appointments against a shared calendar",
        ("scheduling",),
    ),
    (
        "Lead qualification",
        "sales",
        "Ask qualifying questions and hand warm leads to a salesperson",
        ("crm", "sales"),
    ),
    (
        "Customer support triage",
        "support",
        "Answer common questions and escalate complaints with full context",
        ("support", "escalation"),
    ),
    (
        "Delivery tracking",
        "logistics",
        "Look up parcels by tracking number and explain delays",
        ("tracking",),
    ),
    (
        "Returns and refunds",
        "retail",
        "Check eligibility, book a return pickup and start the refund",
        ("refunds", "retail"),
    ),
    (
        "Hotel reservations",
        "hospitality",
        "Quote rates, hold rooms and confirm bookings with a deposit",
        ("bookings", "payments"),
    ),
    (
        "Event RSVP",
        "events",
        "Collect RSVPs, dietary needs and plus-ones for an event",
        ("events",),
    ),
    (
        "Real estate enquiries",
        "property",
        "Share listings that match a budget and book inspections",
        ("property", "scheduling"),
    ),
    (
        "Course enrolment",
        "education",
        "Explain course options, fees and start dates, then enrol the student",
        ("education", "payments"),
    ),
)
