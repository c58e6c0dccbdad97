exports.handler = async (event) => ({
  greeting: `${process.env.GREETING}, ${event.name}!`,
});
